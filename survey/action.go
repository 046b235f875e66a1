package survey

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Action statuses, in the order an action goes through them.
const (
	ActionPlanned    = "planned"
	ActionInProgress = "in_progress"
	ActionDone       = "done"
)

// ActionStatuses lists the statuses in their order, for forms and checks.
var ActionStatuses = []string{ActionPlanned, ActionInProgress, ActionDone}

// Audit actions of the action log.
const (
	AuditActionCreated = "action.created"
	AuditActionStatus  = "action.status_changed"
)

// Action is what a team did about its Gap (a training, a contact
// campaign…): the channels it targets and when it started, so that the
// Gap before and after can be read beside it. Its owner is a role, never
// a person.
type Action struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	TeamID    int64     `json:"team_id"`
	Title     string    `json:"title"`
	Channels  []string  `json:"channels" gorm:"serializer:json"`
	StartsOn  string    `json:"starts_on"`
	OwnerRole string    `json:"owner_role"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ActionInput is what a manager or HR sends to record an action.
type ActionInput struct {
	Title     string   `json:"title"`
	Channels  []string `json:"channels"`
	StartsOn  string   `json:"starts_on"`
	OwnerRole string   `json:"owner_role"`
	Status    string   `json:"status"`
}

// personalData catches what an owner role must not hold: an e-mail
// address or a phone number.
var personalData = regexp.MustCompile(`@|[0-9][0-9 .\-]{5,}[0-9]`)

// normalize trims the texts and checks every field; channels lists the
// known channel ids.
func (in *ActionInput) normalize(channels map[string]bool) error {
	in.Title, in.OwnerRole, in.StartsOn = strings.TrimSpace(in.Title), strings.TrimSpace(in.OwnerRole), strings.TrimSpace(in.StartsOn)
	if in.Status == "" {
		in.Status = ActionPlanned
	}
	var fe FieldErrors
	if n := utf8.RuneCountInString(in.Title); n == 0 || n > 120 {
		fe.Add("title", "give the action a title of 1 to 120 characters")
	}
	in.Channels = uniqueTrimmed(in.Channels)
	if len(in.Channels) == 0 {
		fe.Add("channels", "choose at least one channel the action targets")
	}
	for _, ch := range in.Channels {
		if !channels[ch] {
			fe.Add("channels", "%q is not a channel of the questionnaires", short(ch))
		}
	}
	if _, err := time.Parse(DateLayout, in.StartsOn); err != nil {
		fe.Add("starts_on", "the start date is a day written YYYY-MM-DD")
	}
	switch n := utf8.RuneCountInString(in.OwnerRole); {
	case n == 0 || n > 60:
		fe.Add("owner_role", "the owner is a role of 1 to 60 characters, such as \"branch director\"")
	case personalData.MatchString(in.OwnerRole):
		fe.Add("owner_role", "the owner is a role, not a person: no e-mail address or phone number")
	}
	if !validStatus(in.Status) {
		fe.Add("status", "the status is one of %s", strings.Join(ActionStatuses, ", "))
	}
	return fe.Err()
}

func validStatus(s string) bool {
	for _, v := range ActionStatuses {
		if s == v {
			return true
		}
	}
	return false
}

func uniqueTrimmed(list []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
