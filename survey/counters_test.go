package survey_test

import (
	"context"
	"sync"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// mustVerify fails the test when any counter differs from the responses.
func mustVerify(tb testing.TB, st *survey.Store) {
	tb.Helper()
	diffs, err := st.Verify(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range diffs {
		tb.Errorf("verify: %s", d)
	}
}

func mustSubmit(tb testing.TB, st *survey.Store, c *survey.Campaign, teamID int64, a survey.Answers) {
	tb.Helper()
	if _, err := st.Submit(context.Background(), survey.Submission{CampaignID: c.ID, TeamID: teamID, Answers: a}); err != nil {
		tb.Fatal(err)
	}
}

// mustClose closes c: its answers leave the mixing stage, the counters
// and responses hold them all.
func mustClose(tb testing.TB, st *survey.Store, c *survey.Campaign) {
	tb.Helper()
	if _, err := st.CloseCampaign(context.Background(), c.ID); err != nil {
		tb.Fatal(err)
	}
}

// teamCounts returns team's counters for band, or nil.
func teamCounts(tb testing.TB, st *survey.Store, c *survey.Campaign, band string, teamID int64, shown bool) []int64 {
	tb.Helper()
	def, _ := st.Definition(context.Background(), c.QuestionnaireID)
	rows, err := st.Counters(context.Background(), c.ID, def, band, shown)
	if err != nil {
		tb.Fatal(err)
	}
	for i, id := range rows.Teams {
		if id == teamID {
			return rows.Counts[i]
		}
	}
	return nil
}

func TestCounters_SubmitFillsTheTableOfEachBand(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		// email: regular privately and at work (a); regular privately, blocked at work (b); private only answered (not counted).
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 4, "email.work": 3, "barriers": []int{0, 2}, "culture.free_tone": 2, "profile.tenure": 1})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 3, "email.work": 5, "barriers": []int{2}, "profile.tenure": 1})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 1, "profile.role_family": 0})
		mustClose(t, st, c) // three answers, fewer than k: they leave the mixing stage at closing
		def, _ := st.Definition(ctx, c.QuestionnaireID)
		l := survey.LayoutOf(def)
		v := teamCounts(t, st, c, "", team.ID, false)
		email := l.ChannelBase(0)
		checks := []struct {
			name      string
			got, want int64
		}{
			{"responses", v[survey.CountResponses], 3},
			{"email a", v[email+survey.ChA], 1},
			{"email b", v[email+survey.ChB], 1},
			{"email c", v[email+survey.ChC], 0},
			{"email d", v[email+survey.ChD], 0},
			{"email blocked", v[email+survey.ChBlocked], 1},
			{"email private sum", v[email+survey.ChSumPrivate], 7},
			{"email work sum (blocked is 0)", v[email+survey.ChSumWork], 3},
			{"gap respondents", v[survey.CountGapRespondents], 1},
			{"barrier 2 chosen", v[l.Barriers[0].Base+4], 2},
			{"barrier 2 among gap respondents", v[l.Barriers[0].Base+5], 1},
			{"barrier answered", v[l.Barriers[0].Answered], 2},
			{"culture free_tone=2", v[l.Culture[0].Base+1], 1},
			{"all answered", v[survey.CountAllAnswered], 0},
		}
		for _, ck := range checks {
			if ck.got != ck.want {
				t.Errorf("%s = %d, want %d", ck.name, ck.got, ck.want)
			}
		}
		if got := teamCounts(t, st, c, "profile.tenure=1", team.ID, false); got == nil || got[survey.CountResponses] != 2 {
			t.Errorf("band profile.tenure=1 = %v, want 2 responses", got)
		}
		if got := teamCounts(t, st, c, "profile.role_family=0", team.ID, false); got == nil || got[survey.CountResponses] != 1 {
			t.Errorf("band profile.role_family=0 = %v, want 1 response", got)
		}
		mustVerify(t, st)
	})
}

func TestCounters_ConcurrentSubmissionsLoseNothing(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A2")
		const n = 24
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := survey.Answers{"sms.private": i % 5, "sms.work": (i * 7) % 6, "profile.tenure": i % 3}
				if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: a}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		mustClose(t, st, c)
		if got := teamCounts(t, st, c, "", team.ID, false); got[survey.CountResponses] != n {
			t.Errorf("responses = %d, want %d", got[survey.CountResponses], n)
		}
		mustVerify(t, st)
	})
}

func TestCounters_LiveSnapshotMovesInStepsOfK(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		q, _ := st.EnsureDefaultQuestionnaire(ctx)
		c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Live", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
			OpensOn: "2026-03-02", ClosesOn: "2026-03-20", MinGroup: 3, LiveResults: true})
		if err != nil {
			t.Fatal(err)
		}
		st.OpenCampaign(ctx, c.ID)
		c, _ = st.Campaign(ctx, c.ID)
		st = st.WithClock(clock("2026-03-05"))
		team, _ := st.TeamByCode(ctx, "A3")
		for i, want := range []int64{0, 0, 3, 3, 3, 6, 6} {
			mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 3})
			got := int64(0)
			if v := teamCounts(t, st, c, "", team.ID, true); v != nil {
				got = v[survey.CountResponses]
			}
			if got != want {
				t.Errorf("after %d responses the snapshot holds %d, want %d", i+1, got, want)
			}
		}
		mustVerify(t, st)
	})
}

func TestVerify_ReportsATamperedCounter(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	ctx := context.Background()
	st, c := openCampaign(t, st)
	team, _ := st.TeamByCode(ctx, "A1")
	mustSubmit(t, st, c, team.ID, survey.Answers{"sms.private": 4, "sms.work": 1})
	mustClose(t, st, c)
	mustVerify(t, st)
	def, _ := st.Definition(ctx, c.QuestionnaireID)
	v := make([]int64, survey.LayoutOf(def).Len)
	v[survey.CountResponses] = 2
	st.DB().Exec("UPDATE counters SET counts = ? WHERE band = ''", survey.EncodeCounts(v))
	diffs, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) < 2 || diffs[0].Counter != "responses" || diffs[0].Stored != 2 || diffs[0].Recounted != 1 {
		t.Errorf("diffs = %v, want responses stored 2 vs 1 first, then the sms table", diffs)
	}
}
