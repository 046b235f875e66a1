package survey_test

import (
	"context"
	"sync"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// openCampaign imports smallOrg and opens a campaign over it on 2026-03-05.
func openCampaign(tb testing.TB, st *survey.Store) (*survey.Store, *survey.Campaign) {
	tb.Helper()
	mustImport(tb, st, smallOrg)
	c := mustCampaign(tb, st, "B")
	if _, err := st.OpenCampaign(context.Background(), c.ID); err != nil {
		tb.Fatal(err)
	}
	return st.WithClock(clock("2026-03-05")), c
}

func mustInvitation(tb testing.TB, st *survey.Store, c *survey.Campaign, teamID int64) string {
	tb.Helper()
	token := survey.NewToken()
	inv := survey.Invitation{TokenHash: survey.HashToken(token), CampaignID: c.ID, TeamID: teamID}
	if err := st.DB().Create(&inv).Error; err != nil {
		tb.Fatal(err)
	}
	return token
}

func TestSubmit_TeamLinkStoresAnonymousResponse(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		id, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": 4, "email.work": 5}})
		if err != nil {
			t.Fatal(err)
		}
		mustClose(t, st, c)
		var r survey.Response
		if err := st.DB().Take(&r, "id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if got, want := r.Day, "2026-03-05"; got != want {
			t.Errorf("day = %q, want %q (the day, no time)", got, want)
		}
		if got, want := len(id), 26; got != want {
			t.Errorf("id length = %d, want %d (128 random bits)", got, want)
		}
	})
}

func TestSubmit_ReusedTokenIsConflict(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A2")
		token := mustInvitation(t, st, c, team.ID)
		const n = 20
		var wg sync.WaitGroup
		codes := make(chan string, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, Token: token, Answers: survey.Answers{"sms.private": 3}})
				codes <- survey.ErrorCode(err)
			}()
		}
		wg.Wait()
		close(codes)
		count := map[string]int{}
		for code := range codes {
			count[code]++
		}
		if count[""] != 1 || count[survey.ECONFLICT] != n-1 {
			t.Fatalf("outcomes = %v, want 1 success and %d conflicts", count, n-1)
		}
		mustClose(t, st, c)
		var stored int64
		st.DB().Model(&survey.Response{}).Where("team_id = ?", team.ID).Count(&stored)
		if got, want := stored, int64(1); got != want {
			t.Errorf("responses = %d, want %d", got, want)
		}
	})
}

func TestSubmit_RefusedWhenNotOpenOrInvalid(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		open, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		other := mustCampaign(t, st, "S2")
		tests := []struct {
			name string
			st   *survey.Store
			sub  survey.Submission
			code string
		}{
			{"before opening", st.WithClock(clock("2026-03-01")), survey.Submission{CampaignID: c.ID, TeamID: team.ID}, survey.ECONFLICT},
			{"after closing", st.WithClock(clock("2026-03-21")), survey.Submission{CampaignID: c.ID, TeamID: team.ID}, survey.ECONFLICT},
			{"draft", open, survey.Submission{CampaignID: other.ID, TeamID: team.ID}, survey.ECONFLICT},
			{"unknown token", open, survey.Submission{CampaignID: c.ID, Token: "nope", Answers: survey.Answers{"sms.private": 1}}, survey.ENOTFOUND},
			{"team outside campaign", open, survey.Submission{CampaignID: c.ID, TeamID: 9999}, survey.EINVALID},
			{"value out of scale", open, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": 7}}, survey.EINVALID},
			{"unknown item", open, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"fax.private": 1}}, survey.EINVALID},
			{"unknown campaign", open, survey.Submission{CampaignID: 999, TeamID: team.ID}, survey.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := tt.st.Submit(ctx, tt.sub)
				if got := survey.ErrorCode(err); got != tt.code {
					t.Errorf("code = %q, want %q (%v)", got, tt.code, err)
				}
			})
		}
		var stored int64
		st.DB().Model(&survey.Response{}).Count(&stored)
		if stored != 0 {
			t.Errorf("responses stored = %d, want 0", stored)
		}
	})
}
