package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestReferenceValues_AddListDelete(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
			t.Fatal(err)
		}
		web, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: " Clients using the web site ", Source: "client barometer", Value: 70, Channel: "web_services"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := web.Label, "Clients using the web site"; got != want {
			t.Errorf("label = %q, want %q", got, want)
		}
		if _, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: "Target", Value: 50, Channel: survey.AllChannels}); err != nil {
			t.Fatal(err)
		}
		list, err := st.ReferenceValues(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(list), 2; got != want {
			t.Fatalf("listed %d, want %d", got, want)
		}
		if got, want := list[0].Channel, survey.AllChannels; got != want {
			t.Errorf("first channel = %q, want %q (ordered by channel)", got, want)
		}
		if err := st.DeleteReferenceValue(ctx, web.ID); err != nil {
			t.Fatal(err)
		}
		if got, want := survey.ErrorCode(st.DeleteReferenceValue(ctx, web.ID)), survey.ENOTFOUND; got != want {
			t.Errorf("second delete = %q, want %q", got, want)
		}
	})
}

func TestAddReferenceValue_ListsEveryBadField(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: "", Value: 140, Channel: "fax"})
	e, ok := err.(*survey.Error)
	if !ok {
		t.Fatalf("err = %v, want a *survey.Error", err)
	}
	if got, want := len(e.Details), 3; got != want {
		t.Errorf("details = %d (%v), want %d: label, value, channel", got, e.Details, want)
	}
}
