package api_test

import (
	"context"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// hostileName tries to close the chart's script block and run markup.
const hostileName = `</script><img src=x onerror=alert(1)>`

// hostileStore has a closed campaign over a bank whose teams have hostile
// names: two with 6 answers each (shown), two with 2 and 3 (withheld, and
// together 5, so the residual rule keeps the others shown), and reference
// values with markup in their labels.
func hostileStore(t *testing.T) (st *survey.Store, campaign, bank int64) {
	t.Helper()
	ctx := context.Background()
	day, _ := time.Parse(survey.DateLayout, "2026-05-10")
	st = surveytest.MustOpenDB(t).WithClock(func() time.Time { return day.Add(10 * time.Hour) })
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := []survey.TeamRow{
		{Code: "B", Name: `Banque "><svg onload=window.__pwned=1>`, Headcount: 1},
		{Code: "T1", ParentCode: "B", Name: hostileName, Headcount: 9},
		{Code: "T2", ParentCode: "B", Name: "=HYPERLINK(\"http://evil.example\")", Headcount: 8},
		{Code: "T3", ParentCode: "B", Name: "Petite équipe", Headcount: 3},
		{Code: "T4", ParentCode: "B", Name: "Autre petite équipe", Headcount: 4},
	}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Wave <b>1</b>", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
		OpensOn: "2026-05-01", ClosesOn: "2026-05-31"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	tree, _ := st.Tree(ctx)
	submit := func(code string, n int) {
		for i := 0; i < n; i++ {
			a := survey.Answers{"barriers": []int{i % 3}, "culture.free_tone": 1 + i%5, "comment": hostileName}
			for _, ch := range q.Def.ChannelIDs() {
				p, w := q.Def.FrequencyItems(ch)
				a[p.ID], a[w.ID] = 4, i%5
			}
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: tree.ByCode(code).ID, Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	submit("T1", 6)
	submit("T2", 6)
	submit("T3", 2)
	submit("T4", 3)
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: `<img src=x onerror=alert(2)>`, Value: 40, Channel: "email"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: `</script>target`, Value: 30, Channel: survey.AllChannels}); err != nil {
		t.Fatal(err)
	}
	return st, c.ID, tree.ByCode("B").ID
}
