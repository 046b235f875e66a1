package analytics_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"digigap/analytics"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// The index fixture (k = 5): B (hc 0) ── T1 (hc 10) and T2 (hc 8).
// Each respondent answers all ten channels; a letter per channel says
// which cell of the channel's 2×2 table they fall in: b regular
// privately only (4/2), c at work only (2/4), a both (4/4), d neither
// (0/0). A respondent's score is (#b − #c)/10.
const indexOrg = `code,parent_code,name,headcount
B,,Banque,0
T1,B,Agence Un,10
T2,B,Agence Deux,8
`

var (
	t1Answers = []string{"bbbbbbbbbb", "aaaaaaaaaa", "bbbbbaaaaa", "ccaaaaaaaa", "bbbbbbbbbb", "dddddddddd"} // 1, 0, .5, −.2, 1, 0
	t2Answers = []string{"aaaaaaaaaa", "aaaaaaaaaa", "baaaaaaaaa", "caaaaaaaaa", "bbaaaaaaaa"}               // 0, 0, .1, −.1, .2
)

type indexFixture struct {
	st   *survey.Store
	eng  *analytics.Engine
	team map[string]int64
}

func newIndexFixture(t *testing.T) *indexFixture {
	t.Helper()
	st := surveytest.MustOpen(t, survey.SQLite).WithClock(day("2026-06-01"))
	f := &indexFixture{st: st, eng: analytics.New(st), team: map[string]int64{}}
	f.importOrg(t, indexOrg)
	return f
}

func (f *indexFixture) importOrg(t *testing.T, csv string) {
	t.Helper()
	ctx := context.Background()
	rows, _ := survey.ParseOrgCSV(strings.NewReader(csv))
	if _, err := f.st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"B", "T1", "T2"} {
		tm, _ := f.st.TeamByCode(ctx, code)
		f.team[code] = tm.ID
	}
}

// wave runs and closes one campaign over teams with the answers per team.
func (f *indexFixture) wave(t *testing.T, name, opens string, teams []string, answers map[string][]string) *survey.Campaign {
	t.Helper()
	ctx := context.Background()
	q, _ := f.st.EnsureDefaultQuestionnaire(ctx)
	c, err := f.st.CreateCampaign(ctx, survey.CampaignInput{Name: name, QuestionnaireID: q.ID, TeamCodes: teams, OpensOn: opens, ClosesOn: "2027-12-31", MinGroup: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	st := f.st.WithClock(day(opens))
	cells := map[byte][2]int{'a': {4, 4}, 'b': {4, 2}, 'c': {2, 4}, 'd': {0, 0}}
	for team, list := range answers {
		for _, letters := range list {
			a := survey.Answers{}
			for i, ch := range q.Def.ChannelIDs() {
				if p, ok := cells[letters[i]]; ok { // x: not answered
					a[ch+".private"], a[ch+".work"] = p[0], p[1]
				}
			}
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: f.team[team], Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := f.st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *indexFixture) table(t *testing.T, id, compare int64) *analytics.GapTable {
	t.Helper()
	tb, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: id, CompareID: compare, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// T1 alone: scores 1, 0, .5, −.2, 1, 0, so index .38333, s² = 1.408333/5
// = .281667; one team (deff 1), 6 of 10 answered (fpc .4): se² = .4 ·
// .281667 / 6 = .018778, se = .137032, ±.268581. B: 11 scores, mean
// 2.5/11; the two teams are the clusters, deff = 1.96830; fpc = 1 −
// 11/18; s² = .178182; se² = (deff − 1 + fpc) · s²/11 = .021985,
// ±.290612.
func TestIndexInterval_FromRespondentsScoresWithClustersAndFPC(t *testing.T) {
	f := newIndexFixture(t)
	c := f.wave(t, "Vague 1", "2026-03-02", []string{"B"}, map[string][]string{"T1": t1Answers, "T2": t2Answers})
	tb := f.table(t, c.ID, 0)
	for _, tc := range []struct {
		team      string
		n         int
		index     float64
		low, high float64
	}{
		{"T1", 6, 2.3 / 6, 2.3/6 - 0.268581, 2.3/6 + 0.268581},
		{"B", 11, 2.5 / 11, 2.5/11 - 0.290612, 2.5/11 + 0.290612},
	} {
		r := rowOf(t, tb, f.team[tc.team])
		fig := r.IndexFig
		if !r.IndexShown || fig.N != tc.n || math.Abs(r.Index-tc.index) > 1e-9 || !fig.HasCI ||
			math.Abs(fig.CI.Low-tc.low) > 1e-5 || math.Abs(fig.CI.High-tc.high) > 1e-5 {
			t.Errorf("%s: index %v n %d interval %v (%v), want %v n %d [%v, %v]", tc.team, r.Index, fig.N, fig.CI, fig.HasCI, tc.index, tc.n, tc.low, tc.high)
		}
	}
	if d := rowOf(t, tb, f.team["B"]).IndexFig.Deff; math.Abs(d-1.96830) > 1e-4 {
		t.Errorf("B's design effect = %v, want 1.96830 (two teams that differ)", d)
	}
	// The heatmap's tooltip and table view give the index's interval.
	hm := analytics.HeatmapChart(tb, 9, analytics.Locale{Lang: "en", T: func(key string, args ...any) string { return key + fmt.Sprint(args...) }})
	if spec, _ := hm.Spec(); !strings.Contains(string(spec), "chart.tip.index_ci") {
		t.Errorf("no index interval in the heatmap's tooltips")
	}
	for _, r := range hm.Table.Rows {
		if last := r.Cells[len(r.Cells)-2].Text; !strings.Contains(last, "(") {
			t.Errorf("%s: index cell %q has no interval", r.Header, last)
		}
	}
	// The ranking draws the index's own interval, no longer the mean of the
	// channels' bounds (about twice as wide here).
	rk := analytics.RankingChart(tb, analytics.Locale{Lang: "en", T: func(key string, _ ...any) string { return key }})
	if len(rk.Table.Rows) != 2 || rk.Table.Rows[0].Header != "Agence Un" {
		t.Errorf("ranking rows = %+v, want Agence Un (lower bound .115) first", rk.Table.Rows)
	}
}

// A second wave over T1 only: B does not compare (the waves covered other
// teams), T1 does, with the difference of two independent indexes.
// Wave 2's T1: scores 0, 0, .5, −.2, 0, 0 (index .05, s² = .275/5 =
// .055). Its headcount was re-imported before (10 → 12): same teams,
// another population.
func TestIndexChange_OnlyOnTeamsBothCoveredWithIndependentVariances(t *testing.T) {
	f := newIndexFixture(t)
	c1 := f.wave(t, "Vague 1", "2026-03-02", []string{"B"}, map[string][]string{"T1": t1Answers, "T2": t2Answers})
	f.importOrg(t, strings.Replace(indexOrg, "T1,B,Agence Un,10", "T1,B,Agence Un,12", 1))
	later := []string{"aaaaaaaaaa", "dddddddddd", "bbbbbaaaaa", "ccaaaaaaaa", "aaaaaaaaaa", "dddddddddd"}
	c2 := f.wave(t, "Vague 2", "2026-05-04", []string{"T1"}, map[string][]string{"T1": later})
	tb := f.table(t, c2.ID, c1.ID)
	b := rowOf(t, tb, f.team["B"])
	if b.Comparable || b.IndexChange.Shown || b.SamePopulation() {
		t.Errorf("B compared although wave 2 covered T1 only: %+v", b.IndexChange)
	}
	t1 := rowOf(t, tb, f.team["T1"])
	ic := t1.IndexChange
	// Wave 2's fpc is 1 − 6/12 = .5: se² = .5 · .055/6 = .004583; the
	// change is .05 − .38333 = −.33333 ± 1.96·√(.004583 + .018778) = ±.29953.
	se2 := math.Sqrt(0.5*0.055/6 + 0.4*(1.408333/5)/6)
	want := 0.05 - 2.3/6
	if !t1.Comparable || !ic.Shown || !ic.HasIntervals || math.Abs(ic.Gap-want) > 1e-9 ||
		math.Abs(ic.GapCI.Low-(want-1.959964*se2)) > 1e-5 || math.Abs(ic.GapCI.High-(want+1.959964*se2)) > 1e-5 {
		t.Errorf("T1 index change %+v, want %v ± %v", ic, want, 1.959964*se2)
	}
	if t1.SamePopulation() || t1.Populations != [2]int{12, 10} {
		t.Errorf("T1 populations %v (same %v), want 12 then 10: not the same", t1.Populations, t1.SamePopulation())
	}
	// Each channel's Gap change: MOVER on the two waves' design-adjusted
	// Newcombe intervals (Newcombe 1998, independent samples, method 10).
	now, was := t1.Cells[0], analytics.GapCell{}
	first := f.table(t, c1.ID, 0)
	was = rowOf(t, first, f.team["T1"]).Cells[0]
	d, ci := analytics.DifferenceOfEstimates(now.Gap, now.GapCI, was.Gap, was.GapCI)
	if ch := t1.Changes[0]; !ch.Shown || ch.Gap != d || ch.GapCI != ci {
		t.Errorf("email's Gap change %+v, want %v %v", ch, d, ci)
	}
	// The trend chart says so under the chart: B not compared, T1's
	// population changed; T1's index tooltip gives its interval and n.
	l := analytics.Locale{Lang: "en", T: func(key string, args ...any) string { return key + fmt.Sprint(args...) }}
	for team, note := range map[string]string{"B": "chart.trend.not_covered", "T1": "chart.trend.population_differs"} {
		var waves []*analytics.GroupSummary
		for _, c := range []*survey.Campaign{c1, c2} {
			s, err := f.eng.Summary(context.Background(), survey.FullScope(), c.ID, f.team[team])
			if err != nil {
				t.Fatal(err)
			}
			waves = append(waves, s)
		}
		cmp, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: c2.ID, TeamID: f.team[team], CompareID: c1.ID})
		if err != nil {
			t.Fatal(err)
		}
		ch := analytics.TrendChart(waves, cmp, l)
		if !strings.HasPrefix(ch.Note, note) {
			t.Errorf("%s: trend note %q, want %s", team, ch.Note, note)
		}
		if spec, _ := ch.Spec(); team == "T1" && !strings.Contains(string(spec), "chart.tip.index_ci") {
			t.Errorf("T1's trend tooltips have no index interval")
		}
	}
}

// A group shown whose index is withheld (a channel of it is) gets no
// index figure at all, and its JSON says null: an interval's width with n
// would otherwise tell the spread of scores the index itself hides.
func TestIndexInterval_NeverWhereTheIndexIsWithheld(t *testing.T) {
	f := newIndexFixture(t)
	// T2's five answer email only: its other channels are withheld.
	c := f.wave(t, "Vague 1", "2026-03-02", []string{"B"}, map[string][]string{"T1": t1Answers,
		"T2": {"bxxxxxxxxx", "axxxxxxxxx", "axxxxxxxxx", "cxxxxxxxxx", "dxxxxxxxxx"}})
	tb := f.table(t, c.ID, 0)
	t2 := rowOf(t, tb, f.team["T2"])
	if !t2.Shown || !t2.Cells[0].Shown || t2.IndexShown || t2.IndexFig != (analytics.IndexFigures{}) {
		t.Fatalf("T2 shown %v, index shown %v, figures %+v; want the group shown, its index withheld with nothing", t2.Shown, t2.IndexShown, t2.IndexFig)
	}
	body := string(tb.AppendJSON(nil, "en"))
	if strings.Count(body, `"index_n":null,"index_ci_pp":null,"index_deff":null,"index_fpc":null,"index_wide":null`) == 0 {
		t.Errorf("no withheld index in the JSON: %s", body[:min(len(body), 600)])
	}
}
