package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestActions_ValidatedScopedAndAudited(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		st = coverageStore(t, st)
		ctx := context.Background()
		if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
			t.Fatal(err)
		}
		tree, _ := st.Tree(ctx)
		lille, sud := tree.ByCode("LILLE").ID, tree.ByCode("SUD").ID
		nord := survey.TeamScope(tree.ByCode("NORD").ID)
		_, err := st.AddAction(ctx, nord, lille, survey.ActionInput{Title: " ", Channels: []string{"fax"}, StartsOn: "2026-02-30", OwnerRole: "06 12 34 56 78", Status: "someday"})
		var fields []string
		if e, ok := err.(*survey.Error); ok {
			for _, d := range e.Details {
				fields = append(fields, d.Field)
			}
		}
		if got, want := len(fields), 5; got != want {
			t.Errorf("invalid action: fields %v, want title, channels, starts_on, owner_role and status", fields)
		}
		in := survey.ActionInput{Title: "Formation SMS", Channels: []string{"sms", "sms", "email"}, StartsOn: "2026-03-01", OwnerRole: "directeur d'agence"}
		if _, err := st.AddAction(ctx, nord, sud, in); survey.ErrorCode(err) != survey.EFORBIDDEN {
			t.Errorf("manager of NORD adding for SUD: %v, want forbidden", err)
		}
		a, err := st.AddAction(ctx, nord, lille, in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(a.Channels), 2; got != want || a.Status != survey.ActionPlanned {
			t.Errorf("channels %v status %q, want 2 distinct channels and planned", a.Channels, a.Status)
		}
		if _, err := st.SetActionStatus(ctx, survey.TeamScope(sud), a.ID, survey.ActionDone); survey.ErrorCode(err) != survey.EFORBIDDEN {
			t.Errorf("status by another sector's manager: %v, want forbidden", err)
		}
		if _, err := st.SetActionStatus(ctx, nord, a.ID, survey.ActionInProgress); err != nil {
			t.Fatal(err)
		}
		list, err := st.Actions(ctx, nord, tree.ByCode("NORD").ID)
		if err != nil || len(list) != 1 || list[0].Status != survey.ActionInProgress || list[0].Channels[1] != "sms" {
			t.Fatalf("actions of NORD = %+v (%v)", list, err)
		}
		page, _ := st.AuditLog(ctx, 0, 2)
		if got, want := page.Entries[0].Action+" "+page.Entries[0].Detail, survey.AuditActionStatus+" planned → in_progress"; got != want {
			t.Errorf("audit = %q, want %q", got, want)
		}
		if got, want := page.Entries[1].Action, survey.AuditActionCreated; got != want {
			t.Errorf("audit = %q, want %q", got, want)
		}
	})
}
