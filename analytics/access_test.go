package analytics_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

func TestAccess_OpenCampaignGivesParticipationOnly(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	open := f.wave(t, "Vague ouverte", "2026-05-01", 4, true)
	manager := survey.TeamScope(f.team["S1"])
	for name, scope := range map[string]survey.Scope{"HR": survey.FullScope(), "manager": manager} {
		_, err := f.eng.GapTable(ctx, scope, analytics.GapQuery{CampaignID: open.ID})
		if got, want := survey.ErrorCode(err), survey.EFORBIDDEN; got != want {
			t.Errorf("%s gap table of an open campaign: code %q, want %q", name, got, want)
		}
	}
	p, err := f.eng.Participation(ctx, manager, open.ID, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range p.Rows {
		codes = append(codes, r.Team.Code)
	}
	if !slices.Equal(codes, []string{"S1", "A2", "A1"}) {
		t.Errorf("manager of S1 sees %v, want S1, A2, A1 (by name)", codes)
	}
	if r := p.Rows[0]; !r.Shown || r.Responses != 8 || !near(r.Rate, 8.0/20) || p.Rows[1].Shown || p.Rows[2].Shown {
		t.Errorf("participation rows = %+v, want S1 8/20 shown, A2 and A1 withheld", p.Rows)
	}
}

func TestAccess_ManagerCannotReadOutsideTheirSubtree(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	manager := survey.TeamScope(f.team["S1"])
	_, err := f.eng.Summary(ctx, manager, f.camp.ID, f.team["A3"])
	if got, want := survey.ErrorCode(err), survey.EFORBIDDEN; got != want {
		t.Errorf("summary of A3 for S1's manager: code %q, want %q", got, want)
	}
	table, err := f.eng.GapTable(ctx, manager, analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(table.Rows), 3; got != want {
		t.Errorf("manager rows = %d, want %d", got, want)
	}
	if _, err := f.eng.Comments(ctx, manager, f.camp.ID, f.team["S1"]); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("a manager read comments: %v", err)
	}
}

func TestAccess_LiveResultsMoveInStepsOfK(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	live := f.wave(t, "Vague en direct", "2026-05-01", 4, true, true)
	table, err := f.eng.GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: live.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !table.Live {
		t.Errorf("table not marked live")
	}
	// A1 has 6 responses: its snapshot was taken at 5; A2's 2 never made one.
	if r := rowOf(t, table, f.team["S1"]); !r.Shown || r.Responses != 5 {
		t.Errorf("S1 live responses = %d (shown %v), want 5", r.Responses, r.Shown)
	}
	if _, err := f.eng.Bands(context.Background(), survey.FullScope(), live.ID, f.team["B"], "profile.tenure"); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("band breakdown of a live campaign: %v, want forbidden", err)
	}
}

func TestComments_OnlyForGroupsOfTenAndShuffled(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	q, _ := f.st.EnsureDefaultQuestionnaire(ctx)
	camp, err := f.st.CreateCampaign(ctx, survey.CampaignInput{Name: "Commentaires", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
		OpensOn: "2026-05-01", ClosesOn: "2027-12-31", MinGroup: 5, AccessMode: survey.AccessBoth, RetentionDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.OpenCampaign(ctx, camp.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		a := survey.Answers{"comment": fmt.Sprintf("<b>%d</b> & merci", i%10)}
		if _, err := f.st.Submit(ctx, survey.Submission{CampaignID: camp.ID, TeamID: f.team["A1"], Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.st.CloseCampaign(ctx, camp.ID); err != nil {
		t.Fatal(err)
	}
	c, err := f.eng.Comments(ctx, survey.FullScope(), camp.ID, f.team["B"])
	if err != nil {
		t.Fatal(err)
	}
	if !c.Shown || len(c.Comments) != 12 || !slices.Contains(c.Comments, "<b>3</b> & merci") {
		t.Errorf("B comments = %+v", c)
	}
	if c, err = f.eng.Comments(ctx, survey.FullScope(), f.camp.ID, f.team["B"]); err != nil || c.Shown {
		t.Errorf("comments of B in the fixture (its group is withheld) = %+v, %v", c, err)
	}
	c, err = f.eng.Comments(ctx, survey.FullScope(), f.camp.ID, f.team["S1"])
	if err != nil || c.Shown || len(c.Comments) != 0 {
		t.Errorf("S1 (8 respondents) comments = %+v, %v; want none", c, err)
	}
}

func TestBands_WithholdTheBandThatLeavesOnePersonOut(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	b, err := f.eng.Bands(context.Background(), survey.FullScope(), f.camp.ID, f.team["A3"], "profile.tenure")
	if err != nil {
		t.Fatal(err)
	}
	// A3: tenure 1 ×5, unanswered ×1: showing the band would give the one unanswered.
	for _, r := range b.Rows {
		if r.Shown {
			t.Errorf("A3 band %d shown", r.Option.Value)
		}
	}
	b, err = f.eng.Bands(context.Background(), survey.FullScope(), f.camp.ID, f.team["S1"], "profile.tenure")
	if err != nil {
		t.Fatal(err)
	}
	// S1 (A1 itself is withheld, next to A2's two): tenure 0 ×8, A1's
	// six and A2's two; its email cell is withheld, since S1's email
	// respondents are A1's six and the band's difference would give A2's.
	shown := []bool{true, false, false}
	for i, r := range b.Rows {
		if r.Shown != shown[i] {
			t.Errorf("band %d shown = %v, want %v", r.Option.Value, r.Shown, shown[i])
		}
	}
	if r := b.Rows[0]; r.Responses != 8 || r.Cells[0].Shown {
		t.Errorf("band 0 = %d responses, email shown %v; want 8 and withheld", r.Responses, r.Cells[0].Shown)
	}
	if _, err := f.eng.Bands(context.Background(), survey.FullScope(), f.camp.ID, f.team["B"], "email.private"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("breakdown by a non-profile item: %v", err)
	}
}

func TestGapTable_SeesAnOrgImportAtOnce(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	q := analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1}
	if _, err := f.eng.GapTable(ctx, survey.FullScope(), q); err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(fixtureOrg, "A3,S2,Agence Nîmes,9", "A3,S2,Agence d'Alès,11", 1)
	rows, _ := survey.ParseOrgCSV(strings.NewReader(renamed))
	if _, err := f.st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	table, err := f.eng.GapTable(ctx, survey.FullScope(), q)
	if err != nil {
		t.Fatal(err)
	}
	// Names follow today's tree; the headcount is the one frozen when the
	// campaign opened, so a re-import never moves its participation.
	if r := rowOf(t, table, f.team["A3"]); r.Team.Name != "Agence d'Alès" || r.Headcount != 9 {
		t.Errorf("after the import A3 is %q with headcount %d, want the frozen 9", r.Team.Name, r.Headcount)
	}
}
