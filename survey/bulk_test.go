package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestBulkInsert_CountersMatchTheResponses(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		def, _ := st.Definition(ctx, c.QuestionnaireID)
		a1, _ := st.TeamByCode(ctx, "A1")
		a3, _ := st.TeamByCode(ctx, "A3")
		i := 0
		next := func() (survey.BulkResponse, bool) {
			if i == 1234 {
				return survey.BulkResponse{}, false
			}
			i++
			codes, comment, err := def.EncodeAnswers(survey.Answers{"email.private": i % 5, "email.work": i % 6, "profile.tenure": i % 3, "barriers": []int{i % 9}, "comment": "n°" + string(rune('a'+i%26))})
			if err != nil {
				t.Fatal(err)
			}
			team := a1.ID
			if i%3 == 0 {
				team = a3.ID
			}
			return survey.BulkResponse{TeamID: team, Codes: codes, Comment: comment}, true
		}
		n, err := st.BulkInsert(ctx, c.ID, "2026-03-05", next)
		if err != nil || n != 1234 {
			t.Fatalf("bulk insert = %d, %v; want 1234", n, err)
		}
		mustSubmit(t, st, c, a1.ID, survey.Answers{"email.private": 4}) // the normal path adds to the same rows
		mustClose(t, st, c)
		if got := teamCounts(t, st, c, "", a1.ID, false); got[survey.CountResponses] != 1234-411+1 {
			t.Errorf("A1 responses = %d, want %d", got[survey.CountResponses], 1234-411+1)
		}
		mustVerify(t, st)
	})
}
