package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// mustImport loads an org CSV into st.
func mustImport(tb testing.TB, st *survey.Store, csv string) *survey.OrgPlan {
	tb.Helper()
	rows, err := survey.ParseOrgCSV(strings.NewReader(csv))
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := st.ImportOrg(context.Background(), rows)
	if err != nil {
		tb.Fatal(err)
	}
	return plan
}

const smallOrg = `code,parent_code,name,headcount
B,,Banque,2
S1,B,Secteur Nord,1
S2,B,Secteur Sud,1
A1,S1,Agence Lille,12
A2,S1,Agence Douai,8
A3,S2,Agence Nîmes,9
`

func TestImportOrg_ReimportUpdatesByCode(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		before, _ := st.TeamByCode(ctx, "A2")
		changed := strings.Replace(smallOrg, "A2,S1,Agence Douai,8", "A2,S2,Agence de Douai,10", 1)
		changed = strings.Replace(changed, "A3,S2,Agence Nîmes,9\n", "A4,S2,Agence Alès,7\n", 1)
		plan := mustImport(t, st, changed)
		if got, want := len(plan.Added), 1; got != want {
			t.Errorf("added = %d, want %d", got, want)
		}
		if got, want := len(plan.Renamed)+len(plan.Moved)+len(plan.Headcount), 3; got != want {
			t.Errorf("changes = %d, want %d", got, want)
		}
		if got, want := len(plan.Removed), 1; got != want {
			t.Errorf("removed = %d, want %d", got, want)
		}
		after, err := st.TeamByCode(ctx, "A2")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := after.ID, before.ID; got != want {
			t.Errorf("A2 id = %d, want %d (history stays with the code)", got, want)
		}
		tree, _ := st.Tree(ctx)
		if got, want := tree.Path(after.ID)[1].Code, "S2"; got != want {
			t.Errorf("A2 parent = %s, want %s", got, want)
		}
		if got, want := tree.Headcount(tree.ByCode("B").ID), 2+1+1+12+10+7; got != want {
			t.Errorf("org headcount = %d, want %d", got, want)
		}
		if _, err := st.TeamByCode(ctx, "A3"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("A3 after removal: err = %v, want not found", err)
		}
	})
}

func TestImportOrg_RemovingTeamWithCampaignIsRefusedWhole(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		mustCampaign(t, st, "B")
		rows, _ := survey.ParseOrgCSV(strings.NewReader(strings.Replace(smallOrg, "A3,S2,Agence Nîmes,9\n", "", 1) + "A9,S2,New,3\n"))
		_, err := st.ImportOrg(ctx, rows)
		if got, want := survey.ErrorCode(err), survey.ECONFLICT; got != want {
			t.Fatalf("code = %q, want %q (%v)", got, want, err)
		}
		if !strings.Contains(err.Error(), "A3") {
			t.Errorf("error %q does not name team A3", err)
		}
		if _, err := st.TeamByCode(ctx, "A9"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("A9 was stored although the import was refused")
		}
	})
}

// mustCampaign creates a draft campaign with the default questionnaire over code's subtree.
func mustCampaign(tb testing.TB, st *survey.Store, code string) *survey.Campaign {
	tb.Helper()
	ctx := context.Background()
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{
		Name: "Vague test", QuestionnaireID: q.ID, TeamCodes: []string{code},
		OpensOn: "2026-03-02", ClosesOn: "2026-03-20",
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// clock returns a store clock fixed at day (10:00 UTC).
func clock(day string) func() time.Time {
	t, _ := time.Parse(survey.DateLayout, day)
	t = t.Add(10 * time.Hour)
	return func() time.Time { return t }
}
