package survey

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"gorm.io/gorm"
)

// MaxRecipientsPerUpload bounds one list, so a wrong file cannot fill the database.
const MaxRecipientsPerUpload = 200000

// Recipient is one address invitations are mailed to. It is kept only to
// send and remind: deleted when its invitation is used, and with every
// other one when the campaign closes. It is never shown, exported or logged.
type Recipient struct {
	ID         int64 `gorm:"primaryKey"`
	CampaignID int64
	TeamID     int64
	Email      string
	TokenHash  *string // the invitation last mailed, nil before the first
	Failed     bool    // the relay refused the address for good
}

// TableName keeps GORM on the migration's table name.
func (Recipient) TableName() string { return "mail_recipients" }

// RecipientRow is one line of an uploaded list.
type RecipientRow struct {
	Line     int
	TeamCode string
	Email    string
}

// ParseRecipients reads a `team_code;email` list (comma or semicolon, with
// or without BOM, an optional header). Every bad line is reported with its
// number, a team isTeam does not know included; the messages never repeat
// an address.
func ParseRecipients(r io.Reader, isTeam func(code string) bool) ([]RecipientRow, error) {
	records, err := readCSVFile(r)
	if err != nil {
		return nil, err
	}
	var errs FieldErrors
	var rows []RecipientRow
	seen := map[string]int{}
	for i, rec := range records {
		line := i + 1
		if i == 0 && len(rec) == 2 && strings.EqualFold(strings.TrimSpace(rec[1]), "email") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		field := fmt.Sprintf("line %d", line)
		if len(rec) != 2 {
			errs.AddKeyed(field, "csv.fields", "line %d has %d fields, expected %d", line, len(rec), 2)
			continue
		}
		row := RecipientRow{Line: line, TeamCode: strings.TrimSpace(rec[0]), Email: strings.ToLower(strings.TrimSpace(rec[1]))}
		switch {
		case row.TeamCode == "":
			errs.AddKeyed(field, "mail.team_empty", "line %d: the team code is empty", line)
		case !isTeam(row.TeamCode):
			errs.AddKeyed(field, "mail.team", "line %d: team %q is not part of this campaign", line, short(row.TeamCode))
		case !ValidAddress(row.Email):
			errs.AddKeyed(field, "mail.address", "line %d: the e-mail address is not valid", line)
		case seen[row.Email] != 0:
			errs.AddKeyed(field, "mail.duplicate", "line %d: the same address is already on line %d", line, seen[row.Email])
		default:
			seen[row.Email] = line
			rows = append(rows, row)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, FieldError(EINVALID, "file", "the list holds no address").Keyed("mail.empty")
	}
	if len(rows) > MaxRecipientsPerUpload {
		return nil, FieldError(EINVALID, "file", "at most %d addresses per list", MaxRecipientsPerUpload).Keyed("mail.too_many", MaxRecipientsPerUpload)
	}
	return rows, nil
}

// ValidAddress accepts one bare address (no display name), short enough
// for any relay.
func ValidAddress(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".")
}

// AddRecipients reads an uploaded list and stores it for a campaign in one
// transaction: nothing is stored when any line is wrong, and every wrong
// line is reported. Addresses already on the campaign's list are skipped;
// the answer says how many were added. Addresses of people who answered
// are gone, so HR uploads only newcomers once sending has started.
func (s *Store) AddRecipients(ctx context.Context, campaignID int64, list io.Reader) (added int, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := campaignIn(tx, campaignID)
		if err != nil {
			return err
		}
		if err := canInvite(c, s.Today()); err != nil {
			return err
		}
		teams, err := invitedTeams(tx, c, nil)
		if err != nil {
			return err
		}
		byCode := map[string]int64{}
		for _, t := range teams {
			byCode[t.Code] = t.ID
		}
		rows, err := ParseRecipients(list, func(code string) bool { return byCode[code] != 0 })
		if err != nil {
			return err
		}
		var existing []string
		if err := tx.Model(&Recipient{}).Where("campaign_id = ?", c.ID).Pluck("email", &existing).Error; err != nil {
			return err
		}
		known := map[string]bool{}
		for _, e := range existing {
			known[e] = true
		}
		var fresh []Recipient
		for _, r := range rows {
			if !known[r.Email] {
				fresh = append(fresh, Recipient{CampaignID: c.ID, TeamID: byCode[r.TeamCode], Email: r.Email})
			}
		}
		if err := ensureMailSettings(tx, c.ID); err != nil {
			return err
		}
		if added = len(fresh); added > 0 {
			if err := tx.CreateInBatches(fresh, 500).Error; err != nil {
				return err
			}
		}
		return RecordAudit(tx, ctx, AuditRecipientsAdded, campaignObject(c), Detail("recipients_added", "%d addresses added, %d already listed", added, len(rows)-added))
	})
	return added, storeError(err, "recipients")
}

// forgetRecipientSQL deletes the address whose invitation was just used:
// run in the transaction that consumes the invitation, which no longer
// holds the answer, so the deletion tells nothing about what was answered.
const forgetRecipientSQL = "DELETE FROM mail_recipients WHERE token_hash = ?"

// forgetRecipient is the one-call hook of the invitation consumption.
func forgetRecipient(tx *gorm.DB, tokenHash string) error {
	return tx.Exec(forgetRecipientSQL, tokenHash).Error
}

// forgetRecipients is forgetRecipient for the invitations a batch
// consumed (teams by token hash, as consumeMany reads them back).
func forgetRecipients(tx *gorm.DB, consumed map[string]int64) error {
	if len(consumed) == 0 {
		return nil
	}
	hashes := make([]string, 0, len(consumed))
	for h := range consumed {
		hashes = append(hashes, h)
	}
	return tx.Exec("DELETE FROM mail_recipients WHERE token_hash IN ?", hashes).Error
}

// forgetCampaignRecipients deletes every address of a campaign (and their
// queued messages), when it closes; it returns how many addresses went.
func forgetCampaignRecipients(tx *gorm.DB, campaignID int64) (int64, error) {
	if err := tx.Exec("DELETE FROM mail_outbox WHERE campaign_id = ?", campaignID).Error; err != nil {
		return 0, err
	}
	res := tx.Exec("DELETE FROM mail_recipients WHERE campaign_id = ?", campaignID)
	return res.RowsAffected, res.Error
}
