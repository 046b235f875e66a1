package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// Each respondent adds their score — the mean of their own channel gaps
// over the channels they answered — to the index counters: here +1 (email
// 4/2 only), −1/2 (email 2/4, sms 0/0), and nothing for one who answered
// no channel. Scores are stored as (score+1)·2520 and (score·2520)².
func TestCounters_IndexScoresOfEachRespondent(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 4, "email.work": 2})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 2, "email.work": 4, "sms.private": 0, "sms.work": 0})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 1})
		mustClose(t, st, c)
		def, _ := st.Definition(ctx, c.QuestionnaireID)
		l := survey.LayoutOf(def)
		v := teamCounts(t, st, c, "", team.ID, false)
		if n, sum, sq := v[l.Index+survey.IndexN], v[l.Index+survey.IndexSum], v[l.Index+survey.IndexSumSq]; n != 2 || sum != 2*2520+1260 || sq != 2520*2520+1260*1260 {
			t.Errorf("index counters n %d Σ %d Σ² %d; want 2, %d, %d", n, sum, sq, 2*2520+1260, 2520*2520+1260*1260)
		}
		mustVerify(t, st)
	})
}

// A vector written before the index counters (three values shorter)
// reads them as 0, and BackfillIndexCounters recounts them from the
// answers of the campaigns listed in index_backfill, then strikes them off.
func TestBackfillIndexCounters_RecountsVectorsWrittenBeforeThem(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 4, "email.work": 2})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 2, "email.work": 4, "sms.private": 0, "sms.work": 0})
		mustClose(t, st, c)
		def, _ := st.Definition(ctx, c.QuestionnaireID)
		l := survey.LayoutOf(def)
		want := teamCounts(t, st, c, "", team.ID, false)
		old := survey.EncodeCounts(want[:l.Index])
		if err := st.DB().Exec(`UPDATE counters SET counts = ? WHERE campaign_id = ?`, old, c.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := st.DB().Exec(`INSERT INTO index_backfill (campaign_id) VALUES (?)`, c.ID).Error; err != nil {
			t.Fatal(err)
		}
		if v := teamCounts(t, st, c, "", team.ID, false); v[l.Index+survey.IndexN] != 0 || v[survey.CountResponses] != 2 {
			t.Fatalf("an old vector reads %v, want its counts and zero index counters", v)
		}
		n, err := st.BackfillIndexCounters(ctx)
		if err != nil || n == 0 {
			t.Fatalf("backfill filled %d rows: %v", n, err)
		}
		if v := teamCounts(t, st, c, "", team.ID, false); v[l.Index+survey.IndexN] != 2 || v[l.Index+survey.IndexSum] != want[l.Index+survey.IndexSum] {
			t.Errorf("after the backfill %v, want %v", v[l.Index:], want[l.Index:])
		}
		var left int64
		st.DB().Raw(`SELECT COUNT(*) FROM index_backfill`).Scan(&left)
		if left != 0 {
			t.Errorf("%d campaigns left to backfill", left)
		}
		mustVerify(t, st)
	})
}
