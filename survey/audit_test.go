package survey_test

import (
	"context"
	"encoding/json"
	"reflect"
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
		st.Audit(ctx, survey.AuditExport, "campaign 1", survey.DataDetail("csv"))
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

// A detail is stored twice: its English wording, and its catalogue key
// with arguments whose kinds survive (data, numbers as written, terms).
func TestAudit_DetailKeepsItsKeyAndArguments(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		done := survey.Term{Key: "action.status.done", Code: "done"}
		long := strings.Repeat("é", 600)
		err := st.Audit(ctx, survey.AuditExport, "campaign 1", survey.Detail("sample", "%s: %d of %s %%, %s, %s, %s", "LILLE", 1234, survey.Decimal(70.5, 1), done, survey.Day("2026-03-02"), long))
		if err != nil {
			t.Fatal(err)
		}
		page, err := st.AuditLog(ctx, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		e := page.Entries[0]
		if want := "LILLE: 1234 of 70.5 %, done, 2026-03-02, " + strings.Repeat("é", 500-len("LILLE: 1234 of 70.5 %, done, 2026-03-02, ")) + "…"; e.Detail != want || e.DetailKey != "sample" {
			t.Errorf("detail %q (key %q), want the English wording clipped at 500 and key sample", e.Detail, e.DetailKey)
		}
		args, err := e.DetailArguments()
		if err != nil {
			t.Fatal(err)
		}
		want := []any{"LILLE", json.Number("1234"), json.Number("70.5"), done, survey.Day("2026-03-02"), strings.Repeat("é", 500) + "…"}
		if !reflect.DeepEqual(args, want) {
			t.Errorf("arguments = %#v, want %#v", args, want)
		}
	})
}
