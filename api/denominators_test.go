package api_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"digigap/survey"
)

// denomStore has a bank B with two sectors; the campaign covers S1 only
// (A1 headcount 4 when it opens, A2 8), and A1 gives 6 answers, A2 5.
func denomStore(t *testing.T, st *survey.Store, in survey.CampaignInput, answers func(team string, i int) survey.Answers) *survey.Campaign {
	t.Helper()
	ctx := context.Background()
	rows := []survey.TeamRow{{Code: "B", Name: "Banque"}, {Code: "S1", ParentCode: "B", Name: "Nord"}, {Code: "S2", ParentCode: "B", Name: "Sud"},
		{Code: "A1", ParentCode: "S1", Name: "Lille", Headcount: 4}, {Code: "A2", ParentCode: "S1", Name: "Douai", Headcount: 8},
		{Code: "A3", ParentCode: "S2", Name: "Nîmes", Headcount: 30}}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	in.Name, in.QuestionnaireID, in.OpensOn, in.ClosesOn = "Vague", q.ID, "2026-03-02", "2026-03-20"
	if in.TeamCodes == nil {
		in.TeamCodes = []string{"S1"}
	}
	c, err := st.CreateCampaign(ctx, in)
	if err == nil {
		_, err = st.OpenCampaign(ctx, c.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	at := st.WithClock(func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC) })
	tree, _ := st.Tree(ctx)
	for team, n := range map[string]int{"A1": 6, "A2": 5} {
		for i := range n {
			if _, err := at.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: tree.ByCode(team).ID, Answers: answers(team, i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func emailOnly(string, int) survey.Answers {
	return survey.Answers{"email.private": 3, "email.work": 1}
}

// Participation through the API: over the covered teams' headcount frozen
// at opening (the bank's rate is S1's, not over A3's 30), unchanged by a
// later import, and a rate over 100 % carries its reason, in the JSON and
// in the CSV export.
func TestParticipationAPI_FrozenCoveredHeadcountAndFlag(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c := denomStore(t, st, survey.CampaignInput{}, emailOnly)
	if _, err := st.ImportOrg(context.Background(), []survey.TeamRow{{Code: "B", Name: "Banque"}, {Code: "S1", ParentCode: "B", Name: "Nord"},
		{Code: "S2", ParentCode: "B", Name: "Sud"}, {Code: "A1", ParentCode: "S1", Name: "Lille", Headcount: 50},
		{Code: "A2", ParentCode: "S1", Name: "Douai", Headcount: 50}, {Code: "A3", ParentCode: "S2", Name: "Nîmes", Headcount: 30}}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows []struct {
			Team          struct{ Code string }
			Headcount     int
			Responses     *int
			Participation *float64
			Flag          *string `json:"participation_flag"`
		}
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/participation?depth=all", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	want := map[string]struct {
		hc   int
		flag bool
	}{"B": {12, false}, "S1": {12, false}, "A1": {4, true}}
	for _, r := range doc.Rows {
		w, ok := want[r.Team.Code]
		if !ok {
			continue
		}
		if r.Headcount != w.hc || (r.Flag != nil) != w.flag || w.flag && *r.Flag != "headcount_out_of_date" {
			t.Errorf("%s: headcount %d flag %v; want the frozen covered %d, flagged %v", r.Team.Code, r.Headcount, r.Flag, w.hc, w.flag)
		}
		if r.Team.Code == "B" && (r.Participation == nil || *r.Participation < 0.9) {
			t.Errorf("bank participation %v, want 11/12", r.Participation)
		}
	}
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/export/participation?depth=all&format=csv&lang=en", "", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "out of date") {
		t.Errorf("CSV export does not flag A1's rate:\n%s", body)
	}
}

// fullOrSkipped: A1's six answer every channel and tick a barrier, A2's
// five answer email only and skip the barrier question.
func fullOrSkipped(team string, i int) survey.Answers {
	if team == "A2" {
		return survey.Answers{"email.private": 3, "email.work": i % 4}
	}
	a := survey.Answers{"barriers": []int{i % 2}}
	for j, ch := range []string{"email", "sms", "voice_call", "instant_messaging", "video_call", "social_networks", "smartphone_apps", "web_services", "e_signature", "shared_documents"} {
		a[ch+".private"], a[ch+".work"] = 1+(i+j)%4, (i+j)%4
	}
	return a
}

// All-channel users and barriers through the API: each share states its
// denominator (those who answered every channel, those who answered the
// barrier question) next to the group's respondents.
func TestDenominatorsAPI_AllChannelsAndBarriers(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c := denomStore(t, st, survey.CampaignInput{}, fullOrSkipped)
	tree, _ := st.Tree(context.Background())
	s1 := itoa(tree.ByCode("S1").ID)
	var sum struct {
		All struct {
			N, Respondents int
			Denominator    string
			Private        struct{ Count int }
		} `json:"all_channel_users"`
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/teams/"+s1+"/summary", "", nil, &sum); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if sum.All.N != 6 || sum.All.Respondents != 11 || sum.All.Denominator != "answered_every_channel" || sum.All.Private.Count != 6 {
		t.Errorf("all_channel_users = %+v, want 6 of 11 answered every channel", sum.All)
	}
	var bar struct {
		Respondents struct{ N int }
		Items       []struct {
			Answered struct{ N int }
			Options  []struct {
				Overall struct {
					Count int
					Share float64
				}
			}
		}
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/teams/"+s1+"/barriers", "", nil, &bar); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if bar.Respondents.N != 11 || bar.Items[0].Answered.N != 6 || bar.Items[0].Options[0].Overall.Count != 3 || bar.Items[0].Options[0].Overall.Share != 0.5 {
		t.Errorf("barriers = %+v, want 3 of the 6 who answered (not of 11)", bar)
	}
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/export/all_channels?team="+s1+"&format=csv&lang=en", "", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), ",6,11") {
		t.Errorf("all_channels export (%d):\n%s", resp.StatusCode, body)
	}
}

// The unanimous-cell policy through the API: create refuses an unknown
// policy on its field; under 'threshold', A1's six who all use email
// privately are withheld with the reason, while S1's eleven show it.
func TestUnanimousAPI_PolicyValidatedAndHonoured(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	var bad apiError
	body := []byte(`{"name":"W","questionnaire_id":1,"team_codes":["B"],"opens_on":"2026-03-02","closes_on":"2026-03-20","unanimous":"sometimes"}`)
	if resp := do(t, app, "POST", "/api/v1/campaigns", "application/json", body, &bad); resp.StatusCode != 422 || !strings.Contains(bad.Error.Field+bad.Error.Message+fmt.Sprint(bad.Error.Details), "unanimous") {
		t.Errorf("bad policy: status %d, error %+v", resp.StatusCode, bad.Error)
	}
	c := denomStore(t, st, survey.CampaignInput{Unanimous: survey.UnanimousThreshold}, emailOnly)
	var camp struct{ Unanimous string }
	do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID), "", nil, &camp)
	if camp.Unanimous != "threshold" {
		t.Errorf("campaign unanimous = %q", camp.Unanimous)
	}
	var doc struct {
		Rows []struct {
			Team  struct{ Code string }
			Cells []struct {
				Suppressed bool
				Reason     string `json:"withheld_reason"`
				P          *float64
			}
		}
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/gaps?depth=all", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, r := range doc.Rows {
		email := r.Cells[0]
		switch r.Team.Code {
		case "A1":
			if !email.Suppressed || email.Reason != "unanimous" || email.P != nil {
				t.Errorf("A1 email = %+v, want withheld as unanimous", email)
			}
		case "S1":
			if email.Suppressed || email.P == nil || *email.P != 1 {
				t.Errorf("S1 email = %+v, want 100 %% shown (11 ≥ 2k)", email)
			}
		}
	}
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/export/gaps?depth=all&format=csv&lang=en", "", nil, nil)
	csv, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(csv), "\n") {
		if strings.HasPrefix(line, "A1,") && strings.Contains(line, ",email,") && strings.Contains(line, ",1.0") {
			t.Errorf("export shows A1's unanimous email share: %s", line)
		}
	}
}
