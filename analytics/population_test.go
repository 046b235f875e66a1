package analytics_test

import (
	"context"
	"strings"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

// partialWave opens a campaign over codes only, with headcounts as in org
// at opening, and stores n answers for each team of answers.
func partialWave(tb testing.TB, f *fixture, codes []string, answers map[string]int) *survey.Campaign {
	tb.Helper()
	ctx := context.Background()
	q, _ := f.st.EnsureDefaultQuestionnaire(ctx)
	c, err := f.st.CreateCampaign(ctx, survey.CampaignInput{Name: "Partielle", QuestionnaireID: q.ID, TeamCodes: codes,
		OpensOn: "2026-06-01", ClosesOn: "2027-12-31", MinGroup: 5})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.st.OpenCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	for team, n := range answers {
		for range n {
			a := survey.Answers{"email.private": 3, "email.work": 1}
			if _, err := f.st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: f.team[team], Answers: a}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return c
}

func participationOf(tb testing.TB, f *fixture, campaign int64) map[string]analytics.ParticipationRow {
	tb.Helper()
	p, err := f.eng.Participation(context.Background(), survey.FullScope(), campaign, 0, -1)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]analytics.ParticipationRow{}
	for _, r := range p.Rows {
		out[r.Team.Code] = r
	}
	return out
}

// A campaign over one sector is a rate over that sector's staff, at bank
// level too: the bank's other teams were never asked.
func TestParticipation_OverTheCoveredTeamsOnly(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	c := partialWave(t, f, []string{"S1"}, map[string]int{"A1": 6, "A2": 5})
	p := participationOf(t, f, c.ID)
	if got, want := p["B"].Headcount, 20; got != want { // A1 12 + A2 8, not B's 2 nor A3's 9
		t.Errorf("bank headcount = %d, want %d (covered teams only)", got, want)
	}
	if got, want := p["B"].Rate, 11.0/20; got != want {
		t.Errorf("bank rate = %v, want %v", got, want)
	}
	if got := p["S2"].Headcount; got != 0 {
		t.Errorf("uncovered sector headcount = %d, want 0", got)
	}
}

// Headcounts re-imported after the opening never move a rate, and a rate
// over 100 % is flagged with its reason.
func TestParticipation_FrozenHeadcountAndOverHundredFlag(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	small := strings.Replace(fixtureOrg, "A3,S2,Agence Nîmes,9", "A3,S2,Agence Nîmes,5", 1)
	rows, _ := survey.ParseOrgCSV(strings.NewReader(small))
	if _, err := f.st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	c := partialWave(t, f, []string{"S2"}, map[string]int{"A3": 6})
	before := participationOf(t, f, c.ID)["A3"]
	if before.Headcount != 5 || !before.Over || before.Rate != 6.0/5 {
		t.Fatalf("A3 = %d answers / %d, over %v; want 6 / 5 flagged", before.Responses, before.Headcount, before.Over)
	}
	rows, _ = survey.ParseOrgCSV(strings.NewReader(strings.Replace(fixtureOrg, "A3,S2,Agence Nîmes,9", "A3,S2,Agence Nîmes,40", 1)))
	if _, err := f.st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	after := participationOf(t, f, c.ID)["A3"]
	if after.Headcount != before.Headcount || after.Rate != before.Rate || !after.Over {
		t.Errorf("after a re-import: %d / %d (over %v), want the frozen %d / %d", after.Responses, after.Headcount, after.Over, before.Responses, before.Headcount)
	}
	sheet := participationSheetRow(t, f, c.ID, "A3")
	if !strings.Contains(sheet, "out of date") {
		t.Errorf("export row %q does not flag the rate", sheet)
	}
}

func participationSheetRow(tb testing.TB, f *fixture, campaign int64, code string) string {
	tb.Helper()
	p, err := f.eng.Participation(context.Background(), survey.FullScope(), campaign, 0, -1)
	if err != nil {
		tb.Fatal(err)
	}
	tr := func(key string, args ...any) string {
		if key == "chart.participation.over" {
			return "headcount out of date"
		}
		return key
	}
	for _, r := range p.ParticipationSheet(tr).Rows {
		var cells []string
		for _, c := range r {
			cells = append(cells, c.Text)
		}
		if cells[0] == code {
			return strings.Join(cells, ";")
		}
	}
	tb.Fatalf("no row %s", code)
	return ""
}
