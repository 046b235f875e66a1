package survey_test

import (
	"context"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// TestPurgeResponses_DeletesRawAnswersPastRetentionOnly runs the clock
// forward over two campaigns: closed on 2026-03-20 with 30 days of
// retention (purge due 2026-04-20) and one with 60 days.
func TestPurgeResponses_DeletesRawAnswersPastRetentionOnly(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		st := surveytest.MustOpen(t, dialect, survey.Options{Now: func() time.Time { return now }})
		mustImport(t, st, smallOrg)
		q, _ := st.EnsureDefaultQuestionnaire(ctx)
		var ids []int64
		for _, days := range []int{30, 60} {
			c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"S1"},
				OpensOn: "2026-03-02", ClosesOn: "2026-03-20", RetentionDays: days})
			if err != nil {
				t.Fatal(err)
			}
			st.OpenCampaign(ctx, c.ID)
			for range 3 {
				if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: c.TeamIDs[0], Answers: survey.Answers{"email.private": 4}}); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, c.ID)
		}
		count := func(id int64) (n int64) {
			st.DB().Raw("SELECT COUNT(*) FROM responses WHERE campaign_id = ?", id).Scan(&n)
			return n
		}
		steps := []struct {
			day            string
			close          bool
			left30, left60 int64
		}{
			{"2026-04-19", true, 3, 3},  // closed, retention still running
			{"2026-04-20", false, 0, 3}, // 30 days after closing: first campaign purged
			{"2026-05-19", false, 0, 3},
			{"2026-05-20", false, 0, 0},
		}
		for _, s := range steps {
			now, _ = time.Parse(survey.DateLayout, s.day)
			if s.close {
				for _, id := range ids {
					if _, err := st.CloseCampaign(ctx, id); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := st.PurgeResponses(ctx); err != nil {
				t.Fatal(err)
			}
			if count(ids[0]) != s.left30 || count(ids[1]) != s.left60 {
				t.Errorf("%s: responses left %d and %d, want %d and %d", s.day, count(ids[0]), count(ids[1]), s.left30, s.left60)
			}
		}
		for _, id := range ids {
			if _, err := st.Campaign(ctx, id); err != nil {
				t.Errorf("campaign %d is gone after the purge: %v", id, err)
			}
		}
		var audits int64
		st.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE action = ?", survey.AuditResponsesPurged).Scan(&audits)
		if audits != 2 {
			t.Errorf("purge audit entries = %d, want 2 (one per campaign, none for runs that deleted nothing)", audits)
		}
	})
}

func TestPurgeResponses_KeepsOpenCampaigns(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	st := surveytest.MustOpen(t, survey.SQLite, survey.Options{Now: func() time.Time { return now }})
	mustImport(t, st, smallOrg)
	c := mustCampaign(t, st, "S1")
	st.OpenCampaign(ctx, c.ID)
	st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: c.TeamIDs[0], Answers: survey.Answers{"email.private": 4}})
	if res, err := st.PurgeResponses(ctx); err != nil || res.Responses != 0 {
		t.Errorf("purge of an open campaign = %+v, %v; want nothing", res, err)
	}
}
