package survey

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign states, set by HR: a draft can be edited, an open campaign takes
// answers between its dates, a closed one is final.
const (
	StateDraft  = "draft"
	StateOpen   = "open"
	StateClosed = "closed"
)

// Phases combine the state with today's date, as respondents see it.
const (
	PhaseDraft     = "draft"     // not opened by HR yet
	PhaseScheduled = "scheduled" // opened, but before its opening date
	PhaseOpen      = "open"      // taking answers
	PhaseClosed    = "closed"    // closed by HR or past its closing date
)

// Access modes: personal invitations, open team links, or both.
const (
	AccessInvitation = "invitation"
	AccessTeamLink   = "team_link"
	AccessBoth       = "both"
)

// Unanimous-cell policies (issue 15, point 9): how a 0 % or 100 % share of
// a small group, which tells every member's answer, is shown. Threshold
// shows it only from 2k respondents and withholds it as "unanimous" below
// (the console's recommended choice, pre-selected on a new campaign);
// Disclose always shows it, and the respondent intro says so. An API
// client that does not send the field gets Disclose, the figures it got
// before the setting existed. Frozen at opening like k.
const (
	UnanimousThreshold = "threshold"
	UnanimousDisclose  = "disclose"
)

// Anonymity thresholds (DESIGN.md): default 5, never below 3.
const (
	DefaultMinGroup = 5
	LowestMinGroup  = 3
	// DefaultRetentionDays keeps raw answers two years, long enough to compare waves.
	DefaultRetentionDays = 730
)

// DateLayout is how campaign dates are written: a day, never a time.
const DateLayout = "2006-01-02"

// Campaign is one wave: a questionnaire version run over a set of teams.
type Campaign struct {
	ID              int64     `json:"id" gorm:"primaryKey"`
	Name            string    `json:"name"`
	QuestionnaireID int64     `json:"questionnaire_id"`
	OpensOn         string    `json:"opens_on"`
	ClosesOn        string    `json:"closes_on"`
	State           string    `json:"state"`
	AccessMode      string    `json:"access_mode"`
	MinGroup        int       `json:"min_group"`
	LiveResults     bool      `json:"live_results"`
	RetentionDays   int       `json:"retention_days"`
	Unanimous       string    `json:"unanimous"` // UnanimousThreshold or UnanimousDisclose
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"-"`
	TeamIDs         []int64   `json:"team_ids" gorm:"-"`
	teamSet         map[int64]bool
}

// Phase tells whether the campaign takes answers on day today (YYYY-MM-DD,
// the organisation's day: Store.Today).
func (c *Campaign) Phase(today string) string {
	switch {
	case c.State == StateDraft:
		return PhaseDraft
	case c.State == StateClosed || today > c.ClosesOn:
		return PhaseClosed
	case today < c.OpensOn:
		return PhaseScheduled
	}
	return PhaseOpen
}

// Covers reports whether team id is one of the campaign's teams.
func (c *Campaign) Covers(id int64) bool {
	if c.teamSet != nil {
		return c.teamSet[id]
	}
	for _, t := range c.TeamIDs {
		if t == id {
			return true
		}
	}
	return false
}

// AllowsInvitations and AllowsTeamLinks tell which links answer.
func (c *Campaign) AllowsInvitations() bool { return c.AccessMode != AccessTeamLink }

// AllowsTeamLinks reports whether open team links are accepted.
func (c *Campaign) AllowsTeamLinks() bool { return c.AccessMode != AccessInvitation }

// CampaignInput is what HR sends to create or edit a campaign; it decodes
// request bodies, so unknown fields never reach the model.
type CampaignInput struct {
	Name            string   `json:"name" form:"name"`
	QuestionnaireID int64    `json:"questionnaire_id" form:"questionnaire_id"`
	TeamCodes       []string `json:"team_codes" form:"team_codes"`
	OpensOn         string   `json:"opens_on" form:"opens_on"`
	ClosesOn        string   `json:"closes_on" form:"closes_on"`
	MinGroup        int      `json:"min_group" form:"min_group"`
	AccessMode      string   `json:"access_mode" form:"access_mode"`
	LiveResults     bool     `json:"live_results" form:"live_results"`
	RetentionDays   int      `json:"retention_days" form:"retention_days"`
	Unanimous       string   `json:"unanimous" form:"unanimous"`
}

// normalize fills defaults and checks every field, listing all problems.
func (in *CampaignInput) normalize() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.MinGroup == 0 {
		in.MinGroup = DefaultMinGroup
	}
	if in.AccessMode == "" {
		in.AccessMode = AccessBoth
	}
	if in.RetentionDays == 0 {
		in.RetentionDays = DefaultRetentionDays
	}
	if in.Unanimous == "" {
		in.Unanimous = UnanimousDisclose
	}
	var errs FieldErrors
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		errs.Add("name", "a name of 1 to 200 characters is required")
	}
	if in.QuestionnaireID <= 0 {
		errs.Add("questionnaire_id", "choose a questionnaire version")
	}
	if len(in.TeamCodes) == 0 {
		errs.Add("team_codes", "choose at least one team")
	}
	opens, errO := time.Parse(DateLayout, in.OpensOn)
	closes, errC := time.Parse(DateLayout, in.ClosesOn)
	if errO != nil {
		errs.Add("opens_on", "opening date must be a date like 2026-03-02")
	}
	if errC != nil {
		errs.Add("closes_on", "closing date must be a date like 2026-03-20")
	}
	if errO == nil && errC == nil && closes.Before(opens) {
		errs.Add("closes_on", "closing date must not be before the opening date")
	}
	if in.MinGroup < LowestMinGroup || in.MinGroup > 100 {
		errs.Add("min_group", "anonymity threshold must be between %d and 100", LowestMinGroup)
	}
	switch in.AccessMode {
	case AccessInvitation, AccessTeamLink, AccessBoth:
	default:
		errs.Add("access_mode", "access mode must be invitation, team_link or both")
	}
	if in.RetentionDays < 30 || in.RetentionDays > 3650 {
		errs.Add("retention_days", "retention must be between 30 and 3650 days")
	}
	if in.Unanimous != UnanimousThreshold && in.Unanimous != UnanimousDisclose {
		errs.Add("unanimous", "unanimous must be threshold or disclose")
	}
	return errs.Err()
}
