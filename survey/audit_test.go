package survey_test

import (
	"context"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestAudit_RecordedInTheActionsTransaction(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := survey.WithActor(context.Background(), survey.Actor{ID: 7, Email: "hr@bank.example"})
		mustImport(t, st, smallOrg)
		before := auditCount(t, st)
		_, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "X", QuestionnaireID: 99, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
		if err == nil {
			t.Fatal("a campaign with an unknown questionnaire was stored")
		}
		if got := auditCount(t, st); got != before {
			t.Errorf("a refused action left %d audit entries", got-before)
		}
		q, _ := st.EnsureDefaultQuestionnaire(ctx)
		c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague 1", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20", MinGroup: 7})
		if err != nil {
			t.Fatal(err)
		}
		page, err := st.AuditLog(ctx, 0, 1)
		if err != nil || len(page.Entries) != 1 {
			t.Fatalf("AuditLog = %+v, %v", page, err)
		}
		e := page.Entries[0]
		if e.Action != survey.AuditCampaignCreated || e.Actor != "hr@bank.example" || e.ActorID == nil || *e.ActorID != 7 ||
			e.Object != "campaign 1" || c.ID != 1 {
			t.Errorf("entry = %+v", e)
		}
		if want := "k=7"; !strings.Contains(e.Detail, want) {
			t.Errorf("detail %q does not state the threshold %q", e.Detail, want)
		}
	})
}

func TestAuditLog_PagesNewestFirst(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	ctx := context.Background()
	for range 5 {
		st.Audit(ctx, survey.AuditExport, "campaign 1", "csv")
	}
	var seen []int64
	before := int64(0)
	for {
		page, err := st.AuditLog(ctx, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			seen = append(seen, e.ID)
			if e.Actor != survey.System.Email {
				t.Errorf("actor = %q, want the system actor", e.Actor)
			}
		}
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	if len(seen) != 5 || seen[0] != 5 || seen[4] != 1 {
		t.Errorf("ids = %v, want 5..1", seen)
	}
}

func auditCount(t *testing.T, st *survey.Store) (n int64) {
	st.DB().Raw("SELECT COUNT(*) FROM audit_log").Scan(&n)
	return n
}
