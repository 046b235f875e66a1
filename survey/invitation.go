package survey

import (
	"context"
	"errors"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// Limits on one generation, so a typo in a count cannot fill the database.
const (
	MaxInvitationsPerTeam = 10000
	MaxInvitationsPerCall = 200000
)

// InvitationRequest says for which teams of a campaign to issue personal
// invitations: every team of the campaign when TeamCodes is empty, and as
// many per team as its headcount unless Count is given.
type InvitationRequest struct {
	TeamCodes []string `json:"team_codes"`
	Count     int      `json:"count"`
}

// IssuedInvitation is a freshly generated invitation with its token in
// clear: it exists only in the answer of the generating call, for the mail
// merge; the store keeps the token's hash alone.
type IssuedInvitation struct {
	TeamCode string
	TeamName string
	Token    string
}

// GenerateInvitations issues personal invitations in one transaction. The
// unused invitations of each chosen team are revoked first, so a lost or
// leaked CSV is replaced by generating again.
func (s *Store) GenerateInvitations(ctx context.Context, campaignID int64, req InvitationRequest) ([]IssuedInvitation, error) {
	if req.Count < 0 || req.Count > MaxInvitationsPerTeam {
		return nil, FieldError(EINVALID, "count", "count must be between 1 and %d (or 0 for each team's headcount)", MaxInvitationsPerTeam)
	}
	var out []IssuedInvitation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := campaignIn(tx, campaignID)
		if err != nil {
			return err
		}
		if err := canInvite(c, s.Today()); err != nil {
			return err
		}
		teams, err := invitedTeams(tx, c, req.TeamCodes)
		if err != nil {
			return err
		}
		if out, err = issue(tx, c, teams, req.Count); err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditInvitationsIssued, campaignObject(c), issuedDetail(out))
	})
	return out, storeError(err, "invitations")
}

// issuedDetail says how many invitations went to which teams: codes and
// counts only, never a token.
func issuedDetail(issued []IssuedInvitation) AuditDetail {
	counts := map[string]int{}
	var codes []string
	for _, inv := range issued {
		if counts[inv.TeamCode] == 0 {
			codes = append(codes, inv.TeamCode)
		}
		counts[inv.TeamCode]++
	}
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = code + " " + itoa(counts[code])
	}
	return Detail("invitations_issued", "%d invitations (unused ones of these teams revoked): %s", len(issued), strings.Join(parts, ", "))
}

func canInvite(c *Campaign, today string) error {
	if c.Phase(today) == PhaseClosed {
		return Errorf(ECONFLICT, "campaign %q is closed: it takes no more answers", c.Name)
	}
	if !c.AllowsInvitations() {
		return Errorf(ECONFLICT, "campaign %q is answered through team links only", c.Name)
	}
	return nil
}

// invitedTeams resolves the chosen codes, each of which must be a team of
// the campaign, or returns every team of the campaign; ordered by code.
func invitedTeams(tx *gorm.DB, c *Campaign, codes []string) ([]Team, error) {
	var teams []Team
	if err := active(tx).Where("id IN ?", c.TeamIDs).Find(&teams).Error; err != nil {
		return nil, err
	}
	sort.Slice(teams, func(i, j int) bool { return teams[i].Code < teams[j].Code })
	if len(codes) == 0 {
		return teams, nil
	}
	byCode := map[string]Team{}
	for _, t := range teams {
		byCode[t.Code] = t
	}
	var errs FieldErrors
	var chosen []Team
	seen := map[string]bool{}
	for _, code := range codes {
		t, ok := byCode[code]
		switch {
		case !ok:
			errs.Add("team_codes", "team %q is not part of campaign %q", short(code), c.Name)
		case !seen[code]:
			seen[code] = true
			chosen = append(chosen, t)
		}
	}
	sort.Slice(chosen, func(i, j int) bool { return chosen[i].Code < chosen[j].Code })
	return chosen, errs.Err()
}

// issue revokes the unused invitations of teams and creates new ones.
func issue(tx *gorm.DB, c *Campaign, teams []Team, count int) ([]IssuedInvitation, error) {
	var out []IssuedInvitation
	var rows []Invitation
	var ids []int64
	for _, t := range teams {
		n := count
		if n == 0 {
			n = t.Headcount
		}
		if n == 0 {
			continue
		}
		ids = append(ids, t.ID)
		for range n {
			tok := NewToken()
			out = append(out, IssuedInvitation{TeamCode: t.Code, TeamName: t.Name, Token: tok})
			rows = append(rows, Invitation{TokenHash: HashToken(tok), CampaignID: c.ID, TeamID: t.ID})
		}
		if len(rows) > MaxInvitationsPerCall {
			return nil, FieldError(EINVALID, "count", "at most %d invitations can be generated at once", MaxInvitationsPerCall)
		}
	}
	if len(rows) == 0 {
		return nil, FieldError(EINVALID, "count", "no invitation to generate: the chosen teams have a headcount of 0; give a count")
	}
	err := tx.Model(&Invitation{}).
		Where("campaign_id = ? AND team_id IN ? AND NOT used AND NOT revoked", c.ID, ids).
		Update("revoked", true).Error
	if err != nil {
		return nil, err
	}
	return out, tx.CreateInBatches(rows, 500).Error
}

// InvitationByToken finds the invitation of a token before the respondent
// answers, so that a used or replaced one is refused at once rather than
// after five minutes of answers.
func (s *Store) InvitationByToken(ctx context.Context, token string) (*Invitation, error) {
	if token == "" || len(token) > 100 {
		return nil, FieldError(ENOTFOUND, "token", "this invitation code is not valid")
	}
	var inv Invitation
	err := s.read.WithContext(ctx).Where("token_hash = ?", HashToken(token)).Take(&inv).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, FieldError(ENOTFOUND, "token", "this invitation code is not valid")
	case err != nil:
		return nil, storeError(err, "invitation")
	case inv.Used:
		return nil, errInvitationUsed()
	case inv.Revoked:
		return nil, s.replacedError(ctx, inv.TokenHash)
	}
	return &inv, nil
}

// replacedError says when a newer invitation was mailed, for an invitation
// a reminder replaced; the plain "replaced" message otherwise.
func (s *Store) replacedError(ctx context.Context, hash string) error {
	var on *string
	if err := s.read.WithContext(ctx).Raw("SELECT replaced_on FROM invitations WHERE token_hash = ?", hash).Scan(&on).Error; err != nil {
		return errInvitationReplaced()
	}
	return replacedOn(on)
}

// replacedOn is the refusal of a replaced invitation, dated by the
// reminder that replaced it when there was one.
func replacedOn(on *string) error {
	if on == nil || *on == "" {
		return errInvitationReplaced()
	}
	return FieldError(ECONFLICT, "token", "a newer invitation was e-mailed to you on %s: use the link of that message", *on).Keyed("invitation_reminded", *on)
}

// errInvitationUsed tells a respondent plainly that their invitation has
// done its job, so nobody retries: its key lets pages and API clients say so.
func errInvitationUsed() *Error {
	return FieldError(ECONFLICT, "token", "this invitation has already been used: an answer was sent with it and nothing more is needed").Keyed("invitation_used")
}

// errInvitationReplaced sends a respondent to the newer link HR gave them.
func errInvitationReplaced() *Error {
	return FieldError(ECONFLICT, "token", "this invitation was replaced by a newer one: use the most recent link you received").Keyed("invitation_replaced")
}
