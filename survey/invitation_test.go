package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestGenerateInvitations_HeadcountOrCountAndOnlyHashesStored(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		issued, err := st.GenerateInvitations(ctx, c.ID, survey.InvitationRequest{TeamCodes: []string{"A2", "A1"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(issued), 20; got != want {
			t.Fatalf("issued = %d, want %d (headcounts 12 + 8)", got, want)
		}
		if got, want := issued[0].TeamCode, "A1"; got != want {
			t.Errorf("first team = %q, want %q (ordered by code)", got, want)
		}
		if got := len(issued[0].Token); got < 26 {
			t.Errorf("token length = %d, want at least 26 base32 characters (128 bits)", got)
		}
		var stored []survey.Invitation
		st.DB().Find(&stored)
		for _, inv := range stored {
			if inv.TokenHash == issued[0].Token {
				t.Fatal("a token is stored in clear")
			}
		}
		if got, want := len(stored), 20; got != want {
			t.Errorf("stored = %d, want %d", got, want)
		}
		few, err := st.GenerateInvitations(ctx, c.ID, survey.InvitationRequest{Count: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(few), 12; got != want {
			t.Errorf("count 2 over the 6 teams = %d, want %d", got, want)
		}
	})
}

func TestGenerateInvitations_RegeneratingRevokesUnusedOnes(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		first, _ := st.GenerateInvitations(ctx, c.ID, survey.InvitationRequest{TeamCodes: []string{"A2"}, Count: 2})
		if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, Token: first[0].Token, Answers: survey.Answers{"sms.private": 1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.GenerateInvitations(ctx, c.ID, survey.InvitationRequest{TeamCodes: []string{"A2"}, Count: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := st.InvitationByToken(ctx, first[1].Token)
		if got, want := survey.ErrorCode(err), survey.ECONFLICT; got != want {
			t.Errorf("old unused invitation: code = %q, want %q", got, want)
		}
		_, err = st.Submit(ctx, survey.Submission{CampaignID: c.ID, Token: first[1].Token, Answers: survey.Answers{"sms.private": 1}})
		if got, want := survey.ErrorCode(err), survey.ECONFLICT; got != want {
			t.Errorf("submitting a revoked invitation: code = %q, want %q", got, want)
		}
		var used int64
		st.DB().Model(&survey.Invitation{}).Where("used").Count(&used)
		if got, want := used, int64(1); got != want {
			t.Errorf("used invitations = %d, want %d (a used one stays used, not revoked)", got, want)
		}
	})
}

func TestGenerateInvitations_Refusals(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		open, c := openCampaign(t, st)
		tests := []struct {
			name  string
			st    *survey.Store
			req   survey.InvitationRequest
			code  string
			field string
		}{
			{"team outside campaign", open, survey.InvitationRequest{TeamCodes: []string{"ZZ"}}, survey.EINVALID, "team_codes"},
			{"negative count", open, survey.InvitationRequest{Count: -1}, survey.EINVALID, "count"},
			{"huge count", open, survey.InvitationRequest{Count: survey.MaxInvitationsPerTeam + 1}, survey.EINVALID, "count"},
			{"closed campaign", st.WithClock(clock("2026-04-01")), survey.InvitationRequest{}, survey.ECONFLICT, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := tt.st.GenerateInvitations(ctx, c.ID, tt.req)
				if got := survey.ErrorCode(err); got != tt.code {
					t.Fatalf("code = %q, want %q (%v)", got, tt.code, err)
				}
				if e, _ := err.(*survey.Error); e.Field != tt.field {
					t.Errorf("field = %q, want %q", e.Field, tt.field)
				}
			})
		}
		var n int64
		st.DB().Model(&survey.Invitation{}).Count(&n)
		if n != 0 {
			t.Errorf("invitations stored = %d, want 0", n)
		}
	})
}

func TestTeamLinks_StableRandomKeysThatSubmit(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		links, err := st.TeamLinks(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(links), 6; got != want {
			t.Fatalf("links = %d, want %d", got, want)
		}
		again, _ := st.TeamLinks(ctx, c.ID)
		if again[0].Key != links[0].Key || links[0].Key == links[1].Key {
			t.Errorf("keys %q, %q, %q: want stable and distinct", links[0].Key, again[0].Key, links[1].Key)
		}
		l, err := st.TeamLinkByKey(ctx, links[3].Key)
		if err != nil || l.TeamID != links[3].TeamID {
			t.Fatalf("by key = %+v, %v", l, err)
		}
		if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamLink: links[3].Key, Answers: survey.Answers{"sms.private": 1}}); err != nil {
			t.Fatal(err)
		}
		_, err = st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamLink: "guess"})
		if got, want := survey.ErrorCode(err), survey.ENOTFOUND; got != want {
			t.Errorf("unknown key: code = %q, want %q", got, want)
		}
	})
}
