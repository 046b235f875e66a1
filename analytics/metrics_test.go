package analytics_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"digigap/analytics"
	"digigap/survey"
	"digigap/survey/surveytest"
)

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

func rowOf(t *testing.T, table *analytics.GapTable, teamID int64) *analytics.GapRow {
	t.Helper()
	for i := range table.Rows {
		if table.Rows[i].Team.ID == teamID {
			return &table.Rows[i]
		}
	}
	t.Fatalf("no row for team %d", teamID)
	return nil
}

func TestGapTable_FiguresMatchHandComputedValues(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		// The arithmetic, not the disclosure: the rule per measure shows
		// S1, whose email figures are computed by hand below.
		defer analytics.SetProtections(analytics.Protections{FrozenTree: true, LiveEpochs: true, Comments: true})()
		f := newFixture(t, dialect)
		table, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(table.Rows), 6; got != want {
			t.Fatalf("rows = %d, want %d", got, want)
		}
		s1 := rowOf(t, table, f.team["S1"])
		// S1 = A1 + A2; A2 answered no channel, so email is A1's table a=2 b=2 c=1 d=1.
		email := s1.Cells[0]
		checks := []struct {
			name      string
			got, want float64
		}{
			{"responses", float64(s1.Responses), 8},
			{"participation", s1.Participation, 8.0 / 20},
			{"n", float64(email.N), 6},
			{"P", email.P, 4.0 / 6},
			{"Q", email.Q, 3.0 / 6},
			{"Gap", email.Gap, 1.0 / 6},
			{"transfer", email.Transfer, 0.75},
			{"blocked", email.Blocked, 1.0 / 6},
			// private 4+3+4+3+1+0 = 15, work 4+3+0+1+3+0 = 11 (blocked is 0)
			{"intensity", email.Intensity, (15.0 - 11.0) / 6},
		}
		for _, c := range checks {
			if !near(c.got, c.want) {
				t.Errorf("S1 email %s = %v, want %v", c.name, c.got, c.want)
			}
		}
		// Without the finite-population correction the intervals would be
		// Wilson 4/6, 3/6 and Newcombe on (2,2,1,1), computed by hand from
		// the formulas. S1 (its sub-teams withheld: one cluster, deff 1)
		// has 20 frozen members, so the correction narrows them; the exact
		// effective n is checked in design_test.go.
		if w := analytics.Wilson(4, 6); math.Abs(w.Low-0.299993315138392) > 1e-12 || math.Abs(w.High-0.9032285888942195) > 1e-12 {
			t.Errorf("Wilson 4/6 = %v", w)
		}
		_, srsGap := analytics.PairedDifference(2, 2, 1, 1)
		if math.Abs(srsGap.Low+0.315031287134799) > 1e-12 || math.Abs(srsGap.High-0.5585149983251492) > 1e-12 {
			t.Errorf("Newcombe (2,2,1,1) = %v", srsGap)
		}
		intervals := []struct {
			name     string
			got, srs analytics.Interval
			estimate float64
		}{
			{"P", email.PCI, analytics.Wilson(4, 6), email.P},
			{"Q", email.QCI, analytics.Wilson(3, 6), email.Q},
			{"Gap", email.GapCI, srsGap, email.Gap},
		}
		for _, c := range intervals {
			if !(c.srs.Low < c.got.Low && c.got.Low < c.estimate && c.estimate < c.got.High && c.got.High < c.srs.High) {
				t.Errorf("S1 email %s interval = %v, want around %v and inside the uncorrected %v", c.name, c.got, c.estimate, c.srs)
			}
		}
		if s1.IndexShown {
			t.Errorf("S1 index shown although 9 channels are withheld (sms n=1)")
		}
		a3 := rowOf(t, table, f.team["A3"])
		// email 4/4 for all: Gap 0; 9 other channels 4/2: Gap 100 pp.
		if !a3.IndexShown || !near(a3.Index, 0.9) {
			t.Errorf("A3 index = %v (shown %v), want 0.9", a3.Index, a3.IndexShown)
		}
		if c := a3.Cells[0]; !c.Shown || c.HasRatio && !near(c.Transfer, 1) {
			t.Errorf("A3 email transfer = %v", c.Transfer)
		}
	})
}

// A2's two respondents answered no channel: S1 minus A1, or S1 minus
// S1's email respondents, would give them. As next-smallest-sibling
// suppression does, the decision withholds A1 (and the figures telling
// A1's people from A2's) and keeps the parents B and S1, S2 and A3.
func TestGapTable_WithholdsEveryGroupThatWouldIsolateFewerThanK(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	table, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"B": true, "S1": true, "S2": true, "A1": false, "A2": false, "A3": true}
	for code, shown := range want {
		row := rowOf(t, table, f.team[code])
		if row.Shown != shown {
			t.Errorf("%s shown = %v, want %v (A2 has 2 < k responses and no channel answered)", code, row.Shown, shown)
		}
		if !row.Shown && (row.Responses != 0 || row.Cells[0].Shown) {
			t.Errorf("%s is withheld but carries figures", code)
		}
	}
	var doc struct {
		Rows []struct {
			Team       struct{ Code string }
			Suppressed bool
			Responses  *int
			Cells      []struct {
				Suppressed bool
				N          *int
				P          *float64
				GapPP      *float64 `json:"gap_pp"`
			}
		}
	}
	if err := json.Unmarshal(table.AppendJSON(nil, "en"), &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Rows {
		if r.Team.Code == "A2" && (!r.Suppressed || r.Responses != nil || !r.Cells[0].Suppressed || r.Cells[0].N != nil || r.Cells[0].P != nil) {
			t.Errorf("A2 in JSON = %+v, want null figures with suppressed true", r)
		}
		if r.Team.Code == "S2" && r.Suppressed {
			t.Errorf("S2 in JSON is suppressed, want its figures")
		}
	}
}

func TestSummary_AllChannelUsersBarriersAndCulture(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	a3 := f.team["A3"]
	s, err := f.eng.Summary(ctx, survey.FullScope(), f.camp.ID, a3)
	if err != nil {
		t.Fatal(err)
	}
	if ac := s.AllChannels; !ac.Shown || ac.N != 6 || !near(ac.Private.Value, 1) || !near(ac.Work.Value, 1) {
		t.Errorf("all-channel users = %+v, want 6 of 6 privately and at work", ac)
	}
	b, err := f.eng.Barriers(ctx, survey.FullScope(), f.camp.ID, a3)
	if err != nil {
		t.Fatal(err)
	}
	// Barrier shares are over those who answered the question (issue 15,
	// point 7): five of A3's six. Showing that n next to A3's six would
	// single out the one who skipped it, so A3's barriers are withheld
	// (denominators_test.go has a group where they are shown).
	if it := b.Items[0]; !b.Shown || b.N != 6 || !b.GapShown || b.GapN != 6 || it.Shown || it.GapShown || it.N != 0 {
		t.Errorf("A3 barriers = %+v, want the group shown and the item withheld", b)
	}
	// A1's two Gap respondents (email 4/blocked and 3/1) are too few: A1's
	// Gap column is withheld, and B, whose Gap column would be A1's two
	// plus A3's six, is withheld with its group.
	for _, code := range []string{"A1", "B"} {
		if b, err = f.eng.Barriers(ctx, survey.FullScope(), f.camp.ID, f.team[code]); err != nil || b.GapShown {
			t.Errorf("%s barriers among gap respondents shown (%v)", code, err)
		}
	}
	c, err := f.eng.Culture(ctx, survey.FullScope(), f.camp.ID, a3)
	if err != nil {
		t.Fatal(err)
	}
	free := c.Items[0]
	if !free.Shown || free.N != 6 || !near(free.Mean, 17.0/6) || free.Counts[1] != 2 || !near(free.Shares[1], 2.0/6) {
		t.Errorf("culture.free_tone = %+v, want n 6, mean 17/6, two answers of 2", free)
	}
	if c.Items[1].Shown {
		t.Errorf("an unanswered culture item is shown")
	}
}

func TestTrend_ChangeOfTheGapSinceAnEarlierWave(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	later := f.wave(t, "Vague 2", "2026-05-01", 2, false)
	table, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: later.ID, CompareID: f.camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	a3 := rowOf(t, table, f.team["A3"])
	if a3.Changes == nil {
		t.Fatal("no changes with compare")
	}
	ch := a3.Changes[0] // email: 4/4 then 4/2
	// A3: 6 of 9 frozen members answered each wave, so the
	// finite-population correction triples the effective n (design.go).
	gapNow, ciNow := analytics.PairedDifference(0, 18, 0, 0)
	gapBefore, ciBefore := analytics.PairedDifference(18, 0, 0, 0)
	wantGap, wantCI := analytics.DifferenceOfEstimates(gapNow, ciNow, gapBefore, ciBefore)
	if !ch.Shown || !near(ch.Gap, 1) || !near(ch.Gap, wantGap) || !near(ch.GapCI.Low, wantCI.Low) || !near(ch.GapCI.High, wantCI.High) {
		t.Errorf("change = %+v, want gap +1 with %v", ch, wantCI)
	}
	if !a3.IndexChange.Shown || !near(a3.IndexChange.Gap, 0.1) {
		t.Errorf("index change = %+v, want +10 pp (email's Gap 0 → 100 pp, one channel in ten)", a3.IndexChange)
	}
	// Its interval: the two waves are independent, so the variances of
	// their indexes add (trend.go); each wave's A3 answered alike, so each
	// index's standard error comes from the channels' bounds (index.go).
	before, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	seNow, seBefore := a3.IndexFig.SE, rowOf(t, before, f.team["A3"]).IndexFig.SE
	half := 1.959963984540054 * math.Hypot(seNow, seBefore)
	if ic := a3.IndexChange; !ic.HasIntervals || seNow <= 0 || seBefore <= 0 || !near(ic.GapCI.Low, 0.1-half) || !near(ic.GapCI.High, 0.1+half) {
		t.Errorf("index change interval = %v (%v), want 10 pp ± %v", ic.GapCI, ic.HasIntervals, half)
	}
	wantQ, wantQCI := analytics.IndependentDifference(0, 18, 18, 18)
	if !near(ch.Q, wantQ) || !near(ch.QCI.Low, wantQCI.Low) || !near(ch.QCI.High, wantQCI.High) || !near(ch.P, 0) {
		t.Errorf("change of Q = %v %v, want %v %v; of P = %v, want 0", ch.Q, ch.QCI, wantQ, wantQCI, ch.P)
	}
	if ch := rowOf(t, table, f.team["A2"]).Changes[0]; ch.Shown {
		t.Errorf("change of a withheld group is shown: %+v", ch)
	}
}
