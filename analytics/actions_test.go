package analytics_test

import (
	"context"
	"testing"
	"time"

	"digigap/analytics"
	"digigap/survey"
)

func TestBeforeAfter_LastClosedBeforeStartFirstOpenedAfter(t *testing.T) {
	camp := func(id int64, opens, closes, state string, teams ...int64) *survey.Campaign {
		return &survey.Campaign{ID: id, OpensOn: opens, ClosesOn: closes, State: state, TeamIDs: teams}
	}
	cs := []*survey.Campaign{
		camp(1, "2025-01-10", "2025-01-31", survey.StateClosed, 5),
		camp(2, "2025-06-01", "2025-06-20", survey.StateClosed, 5),
		camp(3, "2025-09-01", "2025-09-20", survey.StateClosed, 4), // another team
		camp(4, "2025-10-01", "2025-10-20", survey.StateClosed, 5),
		camp(5, "2025-11-01", "2025-11-30", survey.StateOpen, 5), // not closed yet
	}
	id := func(c *survey.Campaign) int64 {
		if c == nil {
			return 0
		}
		return c.ID
	}
	for _, tt := range []struct {
		start             string
		wantBefore, after int64
	}{
		{"2025-07-01", 2, 4},
		{"2025-06-10", 1, 4}, // during campaign 2: neither before nor after
		{"2025-01-05", 0, 1},
		{"2025-10-25", 4, 0}, // campaign 5 is still open
	} {
		b, a := analytics.BeforeAfter(cs, 5, tt.start, "2025-11-05", time.UTC)
		if id(b) != tt.wantBefore || id(a) != tt.after {
			t.Errorf("start %s: before %d after %d, want %d and %d", tt.start, id(b), id(a), tt.wantBefore, tt.after)
		}
	}
}

func TestActionEffects_GapAfterFromEngineWithheldWhereSmall(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	add := func(team string) survey.Action {
		a, err := f.st.AddAction(ctx, survey.FullScope(), f.team[team], survey.ActionInput{
			Title: "SMS training", Channels: []string{"sms", "email"}, StartsOn: "2026-01-15", OwnerRole: "branch director"})
		if err != nil {
			t.Fatal(err)
		}
		return *a
	}
	effects, err := f.eng.ActionEffects(ctx, survey.FullScope(), []survey.Action{add("A3"), add("A2")})
	if err != nil {
		t.Fatal(err)
	}
	a3 := effects[0]
	if a3.Before != nil || a3.After == nil || a3.After.ID != f.camp.ID {
		t.Fatalf("A3: before %v after %v, want none and campaign %d", a3.Before, a3.After, f.camp.ID)
	}
	s, err := f.eng.Summary(ctx, survey.FullScope(), f.camp.ID, f.team["A3"])
	if err != nil {
		t.Fatal(err)
	}
	// Channels are sorted: email first, then sms.
	email, sms := a3.Channels[0], a3.Channels[1]
	if email.Channel != "email" || !email.AfterAsked || !email.After.Shown || !near(email.After.Gap, 0) {
		t.Errorf("A3 email after = %+v, want a shown Gap of 0", email)
	}
	if !sms.After.Shown || !near(sms.After.Gap, 1) {
		t.Errorf("A3 sms after = %+v, want a shown Gap of 100 points", sms)
	}
	for i, id := range s.Def.ChannelIDs() {
		if id == "sms" && (sms.After.GapCI != s.Row.Cells[i].GapCI || sms.After.N != s.Row.Cells[i].N) {
			t.Errorf("sms after = %+v, want the summary's cell %+v", sms.After, s.Row.Cells[i])
		}
	}
	if a2 := effects[1]; a2.Channels[0].After.Shown || a2.Channels[1].After.Shown {
		t.Errorf("A2 (2 responses, k = 5) shows a Gap: %+v", a2.Channels)
	}
}
