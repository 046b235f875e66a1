package analytics

import (
	"context"
	"time"

	"digigap/survey"
)

// ActionEffect is an action beside the Gap of each channel it targets, in
// its team's group, in the last closed campaign before it started and in
// the first closed campaign after: whether what the team did moved the
// figure. Before or After is nil when no campaign qualifies yet.
type ActionEffect struct {
	Action        survey.Action
	Before, After *survey.Campaign
	Channels      []ActionChannel
}

// ActionChannel is one targeted channel's Gap in the two campaigns, as
// the engine gives it: a withheld cell has Shown false and no figure, and
// Asked is false when the campaign's questionnaire has no such channel.
type ActionChannel struct {
	Channel                 string
	Before, After           GapCell
	BeforeAsked, AfterAsked bool
}

// ClosedOn is the day a closed campaign stopped taking answers: its
// closing date, or the day (in the organisation's time zone loc) HR
// closed it early.
func ClosedOn(c *survey.Campaign, loc *time.Location) string {
	if c.State == survey.StateClosed && !c.UpdatedAt.IsZero() {
		if d := survey.DayOf(c.UpdatedAt, loc); d < c.ClosesOn {
			return d
		}
	}
	return c.ClosesOn
}

// BeforeAfter picks, among campaigns that covered team and are closed at
// day today (in time zone loc), the last one closed before start and the
// first one opened after it.
func BeforeAfter(cs []*survey.Campaign, team int64, start, today string, loc *time.Location) (before, after *survey.Campaign) {
	for _, c := range cs {
		if !c.Covers(team) || c.Phase(today) != survey.PhaseClosed {
			continue
		}
		if closed := ClosedOn(c, loc); closed < start && (before == nil || closed > ClosedOn(before, loc) || closed == ClosedOn(before, loc) && c.ID > before.ID) {
			before = c
		}
		if c.OpensOn > start && (after == nil || c.OpensOn < after.OpensOn || c.OpensOn == after.OpensOn && c.ID < after.ID) {
			after = c
		}
	}
	return before, after
}

// ActionEffects computes the before and after Gaps of actions for scope,
// reading each campaign's figures through Summary: the same figures,
// intervals and suppression as every other view.
func (e *Engine) ActionEffects(ctx context.Context, scope survey.Scope, actions []survey.Action) ([]ActionEffect, error) {
	cs, err := e.st.VisibleCampaigns(ctx, scope)
	if err != nil {
		return nil, err
	}
	summaries := map[[2]int64]*GroupSummary{}
	summary := func(c *survey.Campaign, team int64) (*GroupSummary, error) {
		key := [2]int64{c.ID, team}
		if s, ok := summaries[key]; ok || c == nil {
			return s, nil
		}
		s, err := e.Summary(ctx, scope, c.ID, team)
		summaries[key] = s
		return s, err
	}
	out := make([]ActionEffect, len(actions))
	for i, a := range actions {
		ef := ActionEffect{Action: a}
		ef.Before, ef.After = BeforeAfter(cs, a.TeamID, a.StartsOn, e.st.Today(), e.st.Location())
		var before, after *GroupSummary
		if ef.Before != nil {
			if before, err = summary(ef.Before, a.TeamID); err != nil {
				return nil, err
			}
		}
		if ef.After != nil {
			if after, err = summary(ef.After, a.TeamID); err != nil {
				return nil, err
			}
		}
		for _, ch := range a.Channels {
			ac := ActionChannel{Channel: ch}
			ac.Before, ac.BeforeAsked = cellFor(before, ch)
			ac.After, ac.AfterAsked = cellFor(after, ch)
			ef.Channels = append(ef.Channels, ac)
		}
		out[i] = ef
	}
	return out, nil
}

// cellFor is channel ch's cell of s (nil: no campaign), and whether s
// asked about ch.
func cellFor(s *GroupSummary, ch string) (GapCell, bool) {
	if s == nil {
		return GapCell{}, false
	}
	return cellOf(s, ch)
}
