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

// clusteredCampaign is a network R of two teams of 30 (T1, T2) whose six
// respondents each answer email very differently: T1 a=2 b=2 c=1 d=1,
// T2 six regular users both privately and at work. Closed, k = 5.
func clusteredCampaign(t *testing.T, dialect string) (*survey.Store, *survey.Campaign, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	st := surveytest.MustOpen(t, dialect).WithClock(day("2026-06-01"))
	rows, _ := survey.ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount\nR,,Réseau,0\nT1,R,Alpha,30\nT2,R,Beta,30\n"))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	team := map[string]int64{}
	for _, code := range []string{"R", "T1", "T2"} {
		tm, _ := st.TeamByCode(ctx, code)
		team[code] = tm.ID
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"R"}, OpensOn: "2026-03-02", ClosesOn: "2027-12-31", MinGroup: 5})
	if err == nil {
		_, err = st.OpenCampaign(ctx, c.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	at := st.WithClock(day("2026-03-02"))
	pairs := map[string][][2]int{
		"T1": {{4, 4}, {3, 3}, {4, 0}, {3, 1}, {1, 3}, {0, 0}},
		"T2": {{4, 4}, {4, 4}, {4, 4}, {4, 4}, {4, 4}, {4, 4}},
	}
	for _, code := range []string{"T1", "T2"} {
		for _, p := range pairs[code] {
			a := survey.Answers{"email.private": p[0], "email.work": p[1]}
			if _, err := at.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team[code], Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return st, c, team
}

// The network's email figures pool two teams that answer very differently
// (T1: P 4/6; T2: P 6/6): its interval must account for that clustering
// (Kish's design effect) and for the 12 of 60 frozen members who
// answered, and be wider than a simple random sample's.
func TestGapTable_RollupIntervalsAccountForTeamsAndHeadcount(t *testing.T) {
	st, camp, team := clusteredCampaign(t, survey.SQLite)
	table, err := analytics.New(st).GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	b := rowOf(t, table, team["R"])
	email := b.Cells[0]
	if !email.Shown || email.N != 12 {
		t.Fatalf("bank email = %+v, want shown with n 12", email)
	}
	ds := email.Design
	// Clusters T1 (y 4 of 6) and T2 (6 of 6), p = 10/12: Σ(y − p·n)² = 2,
	// cluster variance 2/(2−1)·2/12² = 1/36; simple random sample
	// (10/12)(2/12)/12; deff 2.4. Population 60, fpc 1 − 12/60.
	if ds.Clusters != 2 || math.Abs(ds.DeffP-2.4) > 1e-9 || ds.Population != 60 || math.Abs(ds.FPC-0.8) > 1e-12 {
		t.Errorf("design = %+v, want 2 clusters, deff P 2.4, population 60, fpc 0.8", ds)
	}
	// Gap scores b−c: T1 1, T2 0, mean 1/12: a cluster variance below the
	// simple random sample's, so deff stays 1 (never narrowed).
	if ds.DeffGap != 1 {
		t.Errorf("deff of the Gap = %v, want 1", ds.DeffGap)
	}
	srs := analytics.Wilson(10, 12)
	if !(email.PCI.Low < srs.Low && email.PCI.High > srs.High) {
		t.Errorf("bank P interval %v is not wider than the simple random sample's %v", email.PCI, srs)
	}
	// The same effective n, 12 / (2.4 − 1 + 0.8) (the correction shrinks
	// only the within-team part), through Wilson's formula.
	ne := 12 / (2.4 - 1 + 0.8)
	p, z := 10.0/12, 1.959963984540054
	centre := (p + z*z/(2*ne)) / (1 + z*z/ne)
	half := z * math.Sqrt(p*(1-p)/ne+z*z/(4*ne*ne)) / (1 + z*z/ne)
	if math.Abs(email.PCI.Low-(centre-half)) > 1e-12 || math.Abs(email.PCI.High-(centre+half)) > 1e-12 {
		t.Errorf("bank P interval %v, want Wilson at n_eff %.3f [%v, %v]", email.PCI, ne, centre-half, centre+half)
	}
	// A single team has no clustering; its interval only gets the
	// finite-population correction.
	if t1 := rowOf(t, table, team["T1"]).Cells[0].Design; t1.Clusters != 1 || t1.DeffP != 1 || math.Abs(t1.FPC-0.8) > 1e-12 {
		t.Errorf("T1 design = %+v, want one cluster, fpc 0.8", t1)
	}
}

// A team of six's Gap interval is wider than ±20 points: the heatmap
// draws it lighter in a series of its own, its table view marks it ◌,
// and every shown row's label carries its n.
func TestHeatmap_MarksImpreciseCellsAndPrintsN(t *testing.T) {
	st, camp, _ := clusteredCampaign(t, survey.SQLite)
	table, err := analytics.New(st).GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	l := analytics.Locale{Lang: "en", T: func(key string, args ...any) string {
		if key == "chart.heatmap.row" {
			return fmt.Sprintf("%s (n = %d)", args...)
		}
		return key
	}}
	c := analytics.HeatmapChart(table, 9, l)
	spec, err := c.Spec()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Réseau", "Alpha", "Beta"} {
		if !strings.Contains(string(spec), name+" (n = 6)") && !strings.Contains(string(spec), name+" (n = 12)") {
			t.Errorf("the heatmap's label of %s has no n", name)
		}
	}
	if !strings.Contains(string(spec), `"dg:signedWide"`) || !strings.Contains(string(spec), `"opacity":0.45`) {
		t.Errorf("no lighter series for imprecise cells")
	}
	marked := 0
	for y, r := range c.Table.Rows {
		for x, cell := range table.Rows[y].Cells {
			if got := strings.HasSuffix(r.Cells[x].Text, analytics.WideMark); got != (cell.Shown && cell.Wide()) {
				t.Errorf("%s channel %d: marked %v, half-width of %v around %v", r.Header, x, got, cell.GapCI, cell.Gap)
			} else if got {
				marked++
			}
		}
	}
	if marked == 0 {
		t.Error("no cell is marked, although every team has six answers")
	}
}

// The ranking puts first the team whose gap is surely large (index 40,
// interval 30 to 50), not the one whose few answers make it look larger
// (index 50, interval 0 to 100).
func TestRanking_RanksByTheIntervalsLowerBound(t *testing.T) {
	row := func(id int64, name string, depth int, index float64, ci analytics.Interval) analytics.GapRow {
		return analytics.GapRow{Team: &survey.Team{ID: id, Name: name}, Depth: depth, Shown: true, Responses: 6, IndexShown: true, Index: index,
			IndexFig: analytics.IndexFigures{N: 6, HasCI: true, CI: ci},
			Cells:    []analytics.GapCell{{Shown: true, ChannelFigures: analytics.ChannelFigures{N: 6, Gap: index, GapCI: ci}}}}
	}
	table := &analytics.GapTable{K: 5, Channels: []string{"email"}, Rows: []analytics.GapRow{
		row(1, "Réseau", 0, 0.45, analytics.Interval{Low: 0.3, High: 0.6}),
		row(2, "Lucky", 1, 0.5, analytics.Interval{Low: 0, High: 1}),
		row(3, "Sure", 1, 0.4, analytics.Interval{Low: 0.3, High: 0.5}),
	}}
	c := analytics.RankingChart(table, analytics.Locale{Lang: "en", T: func(key string, _ ...any) string { return key }})
	if len(c.Table.Rows) != 2 || c.Table.Rows[0].Header != "Sure" {
		t.Errorf("ranking = %+v, want Sure first", c.Table.Rows)
	}
}
