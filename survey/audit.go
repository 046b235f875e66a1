package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Actor is who performs an action: a signed-in user, or the command line.
// It travels in the request's context so that each store write can record
// it in the audit log inside its own transaction.
type Actor struct {
	ID    int64  // the user's id; 0 for the command line or the server itself
	Email string // shown in the audit log
}

// System is the actor of actions run with the digigap command or by the
// server itself (first start, daily purge).
var System = Actor{Email: "(system)"}

type actorKey struct{}

// WithActor returns ctx carrying the actor of the actions done with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the actor ctx carries, or System.
func ActorOf(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// AuditEntry is one line of the audit log: who did what, when, on what.
// It never holds respondent data: no answer, token, address or agent.
// Detail is the English wording of what the entry says; DetailKey and
// DetailArgs (JSON) are the same as a catalogue sentence, empty in
// entries written before details had keys.
type AuditEntry struct {
	ID         int64     `json:"id" gorm:"primaryKey"`
	At         time.Time `json:"at"`
	ActorID    *int64    `json:"actor_id,omitempty"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Object     string    `json:"object"`
	Detail     string    `json:"detail,omitempty"`
	DetailKey  string    `json:"-"`
	DetailArgs string    `json:"-"`
}

// TableName keeps GORM on the migration's table name.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit actions: one word for each kind of HR action, stable for filters.
const (
	AuditUserCreated        = "user.created"
	AuditUserDisabled       = "user.disabled"
	AuditUserEnabled        = "user.enabled"
	AuditUserTeams          = "user.teams_changed"
	AuditUserPassword       = "user.password_changed"
	AuditUserPasswordLink   = "user.password_link"
	AuditTokenCreated       = "token.created"
	AuditTokenRevoked       = "token.revoked"
	AuditLogin              = "login"
	AuditCampaignCreated    = "campaign.created"
	AuditCampaignEdited     = "campaign.edited"
	AuditCampaignOpened     = "campaign.opened"
	AuditCampaignClosed     = "campaign.closed"
	AuditOrgImported        = "org.imported"
	AuditQuestionnaireAdded = "questionnaire.loaded"
	AuditQuestionnaireCur   = "questionnaire.made_current"
	AuditExport             = "export"
	AuditInvitationsIssued  = "invitations.generated"
	AuditResponsesPurged    = "responses.purged"
	AuditReferenceAdded     = "reference.added"
	AuditReferenceDeleted   = "reference.deleted"
	AuditRecipientsAdded    = "mail.recipients_added"
	AuditMailTemplate       = "mail.template_changed"
	AuditMailQueued         = "mail.invitations_queued"
	AuditMailReminded       = "mail.reminders_queued"
)

// AuditDetail is what an audit entry says about its action: a sentence of
// the catalogues, audit.detail.<Key> formatted with Args, so the console
// words it in its reader's language. Arguments are data, the same in every
// language (addresses, team codes, names, dates, numbers), or Terms of the
// product's vocabulary. The English wording goes to the detail column,
// which the API and exports show.
type AuditDetail struct {
	Key  string
	Args []any // string, int, json.Number (a decimal as written), Term or Day
	en   string
}

// Detail builds an audit detail from its catalogue key and its English
// wording, a format for args. Long strings are clipped: a detail is a
// summary, never a copy of the data.
func Detail(key, en string, args ...any) AuditDetail {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s, 500)
		}
	}
	return AuditDetail{Key: key, Args: args, en: en}
}

// DataDetail is a detail that is data alone, such as an account's
// address or a campaign's name: shown as it is in every language.
func DataDetail(s string) AuditDetail { return Detail("data", "%s", s) }

// Decimal is a decimal argument of a detail written with places digits
// after the point; the console writes it with the reader's decimal mark.
func Decimal(v float64, places int) json.Number {
	return json.Number(strconv.FormatFloat(v, 'f', places, 64))
}

// String is the detail's English wording.
func (d AuditDetail) String() string {
	if d.en == "" {
		return ""
	}
	return fmt.Sprintf(d.en, d.Args...)
}

// Term is a word of the product's vocabulary in an audit detail, such as
// a role or an action's status: the English detail shows its code, the
// console its wording in the catalogues under Key.
type Term struct{ Key, Code string }

func (t Term) String() string { return t.Code }

// MarshalJSON stores a term apart from data: {"term": key, "code": code}.
func (t Term) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"term": t.Key, "code": t.Code})
}

// Day is a calendar day (YYYY-MM-DD) in an audit detail: the English
// detail shows it as stored, the console as the reader writes dates.
type Day string

// MarshalJSON stores a day apart from data: {"day": "2026-03-02"}.
func (d Day) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"day": string(d)})
}

// DetailArguments decodes the arguments of the entry's detail: strings,
// json.Numbers, Terms and Days.
func (e AuditEntry) DetailArguments() ([]any, error) {
	if e.DetailArgs == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(e.DetailArgs))
	dec.UseNumber()
	var args []any
	if err := dec.Decode(&args); err != nil {
		return nil, err
	}
	for i, a := range args {
		if m, ok := a.(map[string]any); ok {
			if day, ok := m["day"].(string); ok {
				args[i] = Day(day)
				continue
			}
			key, _ := m["term"].(string)
			code, _ := m["code"].(string)
			args[i] = Term{Key: key, Code: code}
		}
	}
	return args, nil
}

// RecordAudit writes one audit entry inside tx, the transaction of the
// action itself: the action and its trace are stored together or not at all.
func RecordAudit(tx *gorm.DB, ctx context.Context, action, object string, detail AuditDetail) error {
	a := ActorOf(ctx)
	e := AuditEntry{At: tx.NowFunc(), Actor: a.Email, Action: action, Object: object, Detail: clip(detail.String(), 500), DetailKey: detail.Key}
	if len(detail.Args) > 0 {
		args, err := json.Marshal(detail.Args)
		if err != nil {
			return err
		}
		e.DetailArgs = string(args)
	}
	if a.ID != 0 {
		id := a.ID
		e.ActorID = &id
	}
	return tx.Create(&e).Error
}

// Audit records an action that writes nothing else, such as an export.
func (s *Store) Audit(ctx context.Context, action, object string, detail AuditDetail) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return RecordAudit(tx, ctx, action, object, detail)
	})
	return storeError(err, "audit entry")
}

// AuditPage is one page of the audit log, newest first; Next is the
// cursor of the following page (0 when there is none).
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	Next    int64        `json:"next_before,omitempty"`
}

// AuditLog returns up to limit entries older than the entry id before
// (0: from the newest), newest first.
func (s *Store) AuditLog(ctx context.Context, before int64, limit int) (*AuditPage, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := s.read.WithContext(ctx).Order("id DESC").Limit(limit + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	page := &AuditPage{Entries: []AuditEntry{}}
	if err := q.Find(&page.Entries).Error; err != nil {
		return nil, storeError(err, "audit log")
	}
	if len(page.Entries) > limit {
		page.Entries = page.Entries[:limit]
		page.Next = page.Entries[limit-1].ID
	}
	return page, nil
}
