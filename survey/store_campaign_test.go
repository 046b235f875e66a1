package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestCreateCampaign_CoversSubtreesWithDefaults(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		mustImport(t, st, smallOrg)
		c := mustCampaign(t, st, "S1")
		if got, want := len(c.TeamIDs), 3; got != want {
			t.Errorf("teams = %d, want %d (S1, A1, A2)", got, want)
		}
		if got, want := c.MinGroup, survey.DefaultMinGroup; got != want {
			t.Errorf("min group = %d, want %d", got, want)
		}
		if got, want := c.State, survey.StateDraft; got != want {
			t.Errorf("state = %q, want %q", got, want)
		}
		again, err := st.Campaign(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(again.TeamIDs), 3; got != want {
			t.Errorf("stored teams = %d, want %d", got, want)
		}
	})
}

func TestCreateCampaign_InvalidInputListsFields(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		mustImport(t, st, smallOrg)
		q, _ := st.EnsureDefaultQuestionnaire(context.Background())
		tests := []struct {
			name  string
			in    survey.CampaignInput
			field string
		}{
			{"no name", survey.CampaignInput{QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-01-01", ClosesOn: "2026-01-10"}, "name"},
			{"threshold below 3", survey.CampaignInput{Name: "x", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-01-01", ClosesOn: "2026-01-10", MinGroup: 2}, "min_group"},
			{"closes before opens", survey.CampaignInput{Name: "x", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-01-10", ClosesOn: "2026-01-01"}, "closes_on"},
			{"bad date", survey.CampaignInput{Name: "x", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "10/01/2026", ClosesOn: "2026-01-11"}, "opens_on"},
			{"unknown team", survey.CampaignInput{Name: "x", QuestionnaireID: q.ID, TeamCodes: []string{"ZZ"}, OpensOn: "2026-01-01", ClosesOn: "2026-01-10"}, "team_codes"},
			{"unknown questionnaire", survey.CampaignInput{Name: "x", QuestionnaireID: 999, TeamCodes: []string{"B"}, OpensOn: "2026-01-01", ClosesOn: "2026-01-10"}, "questionnaire_id"},
			{"bad access mode", survey.CampaignInput{Name: "x", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-01-01", ClosesOn: "2026-01-10", AccessMode: "email"}, "access_mode"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := st.CreateCampaign(context.Background(), tt.in)
				e, ok := err.(*survey.Error)
				if !ok {
					t.Fatalf("err = %v, want *survey.Error", err)
				}
				if got, want := e.Code, survey.EINVALID; got != want {
					t.Errorf("code = %q, want %q", got, want)
				}
				if got, want := e.Field, tt.field; got != want {
					t.Errorf("field = %q, want %q", got, want)
				}
			})
		}
		cs, _ := st.Campaigns(context.Background())
		if got, want := len(cs), 0; got != want {
			t.Errorf("campaigns stored = %d, want %d", got, want)
		}
	})
}

func TestCampaignLifeCycle_OpenThenCloseAndFreeze(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		c := mustCampaign(t, st, "B")
		if _, err := st.CloseCampaign(ctx, c.ID); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("closing a draft: err = %v, want conflict", err)
		}
		opened, err := st.OpenCampaign(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := opened.State, survey.StateOpen; got != want {
			t.Errorf("state = %q, want %q", got, want)
		}
		in := survey.CampaignInput{Name: "edit", QuestionnaireID: c.QuestionnaireID, TeamCodes: []string{"B"}, OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, MinGroup: 3}
		if _, err := st.UpdateCampaign(ctx, c.ID, in); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("editing an open campaign: err = %v, want conflict (threshold frozen)", err)
		}
		if _, err := st.OpenCampaign(ctx, c.ID); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("opening twice: err = %v, want conflict", err)
		}
		closed, err := st.CloseCampaign(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := closed.Phase(st.Today()), survey.PhaseClosed; got != want {
			t.Errorf("phase = %q, want %q", got, want)
		}
	})
}

func TestCampaignPhase_FollowsDates(t *testing.T) {
	c := &survey.Campaign{State: survey.StateOpen, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"}
	for day, want := range map[string]string{
		"2026-03-01": survey.PhaseScheduled,
		"2026-03-02": survey.PhaseOpen,
		"2026-03-20": survey.PhaseOpen,
		"2026-03-21": survey.PhaseClosed,
	} {
		if got := c.Phase(day); got != want {
			t.Errorf("phase on %s = %q, want %q", day, got, want)
		}
	}
}

func TestUpdateCampaign_EditsDraft(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		mustImport(t, st, smallOrg)
		c := mustCampaign(t, st, "B")
		in := survey.CampaignInput{Name: "Vague 2", QuestionnaireID: c.QuestionnaireID, TeamCodes: []string{"A3"}, OpensOn: "2026-04-01", ClosesOn: "2026-04-15", MinGroup: 7}
		got, err := st.UpdateCampaign(context.Background(), c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Vague 2" || got.MinGroup != 7 || len(got.TeamIDs) != 1 {
			t.Errorf("updated = %+v", got)
		}
	})
}
