package api_test

import (
	"fmt"
	"strings"
	"testing"

	"digigap/survey"
)

type auditPage struct {
	Entries []survey.AuditEntry
	Next    int64 `json:"next_before"`
}

func TestAudit_HRActionsAreRecordedWithWhoAndWhat(t *testing.T) {
	f := newFixture(t)
	f.hr.json("POST", "/api/v1/users", `{"email":"new@bank.example","role":"manager","team_codes":["LILLE"],"password":"`+testPassword+`"}`, nil)
	f.hr.json("POST", "/api/v1/campaigns/1/open", "", nil)
	f.hr.json("POST", fmt.Sprintf("/api/v1/users/%d/disable", f.otherMgrID), "", nil)
	var tok struct{ ID int64 }
	f.hr.json("POST", "/api/v1/tokens", `{"name":"exports"}`, &tok)
	f.hr.json("DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), "", nil)
	var page auditPage
	if resp := f.hr.json("GET", "/api/v1/audit?limit=5", "", &page); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	want := []string{"token.revoked", "token.created", "user.disabled", "campaign.opened", "user.created"}
	if len(page.Entries) != len(want) {
		t.Fatalf("entries = %+v, want %v", page.Entries, want)
	}
	for i, e := range page.Entries {
		if e.Action != want[i] || e.Actor != "hr@bank.example" || e.ActorID == nil || e.Object == "" || e.At.IsZero() {
			t.Errorf("entry %d = %+v, want %s by hr@bank.example with an object and a time", i, e, want[i])
		}
	}
	if page.Next == 0 {
		t.Fatal("no next page, though older entries exist (fixture data, sign-ins)")
	}
	var older auditPage
	f.hr.json("GET", fmt.Sprintf("/api/v1/audit?limit=500&before=%d", page.Next), "", &older)
	actions := map[string]bool{}
	for _, e := range older.Entries {
		if e.ID >= page.Next {
			t.Errorf("page 2 repeats entry %d", e.ID)
		}
		actions[e.Action] = true
	}
	for _, a := range []string{"login", "campaign.created", "org.imported", "questionnaire.loaded", "user.created", "token.created"} {
		if !actions[a] {
			t.Errorf("older entries lack %q: %v", a, actions)
		}
	}
}

func TestAudit_ManagerSignInIsNotAnHRAction(t *testing.T) {
	f := newFixture(t)
	var page auditPage
	f.hr.json("GET", "/api/v1/audit?limit=500", "", &page)
	for _, e := range page.Entries {
		if e.Action == "login" && e.Actor != "hr@bank.example" {
			t.Errorf("a manager's sign-in is in the HR audit log: %+v", e)
		}
	}
}

func TestAudit_HoldsNoRespondentData(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.hr.json("POST", "/api/v1/campaigns/1/open", "", nil)
	comment := "secret remark 7f3a"
	answers := survey.Answers{"email.private": 4, "email.work": 1, "comment": comment}
	if _, err := f.st.Submit(ctx, survey.Submission{CampaignID: 1, TeamID: teamID(t, f, "LILLE"), Answers: answers}); err != nil {
		t.Fatal(err)
	}
	f.hr.json("POST", "/api/v1/campaigns/1/close", "", nil)
	_, body := f.hr.do("GET", "/api/v1/audit?limit=500", "", "")
	var ids []string
	f.st.DB().Raw("SELECT id FROM responses").Scan(&ids)
	for _, s := range append(ids, comment, "0.0.0.0", "Go-http-client") {
		if strings.Contains(body, s) {
			t.Errorf("the audit log holds respondent data %q", s)
		}
	}
}

func teamID(t *testing.T, f *fixture, code string) int64 {
	tm, err := f.st.TeamByCode(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return tm.ID
}

func TestCampaigns_ManagerSeesOnlyCampaignsAndTeamsOfTheirSubtree(t *testing.T) {
	f := newFixture(t)
	var list struct {
		Campaigns []struct {
			ID      int64
			TeamIDs []int64 `json:"team_ids"`
		}
	}
	f.mgr.json("GET", "/api/v1/campaigns", "", &list)
	if len(list.Campaigns) != 2 || list.Campaigns[0].ID != 3 || list.Campaigns[1].ID != 1 {
		t.Fatalf("manager's campaigns = %+v, want campaigns 3 and 1, not 2", list.Campaigns)
	}
	nord, lille := teamID(t, f, "NORD"), teamID(t, f, "LILLE")
	for _, c := range list.Campaigns {
		if got := c.TeamIDs; len(got) != 2 || got[0] != nord || got[1] != lille {
			t.Errorf("campaign %d: team_ids = %v, want only the manager's [%d %d]", c.ID, got, nord, lille)
		}
	}
	var one struct {
		TeamIDs []int64 `json:"team_ids"`
	}
	f.mgr.json("GET", "/api/v1/campaigns/3", "", &one)
	if len(one.TeamIDs) != 2 {
		t.Errorf("campaign 3 for the manager: team_ids = %v, want 2 teams", one.TeamIDs)
	}
	var teams struct{ Teams []struct{ Code string } }
	f.mgr.json("GET", "/api/v1/teams", "", &teams)
	if len(teams.Teams) != 2 {
		t.Errorf("manager's teams = %+v, want NORD and LILLE", teams.Teams)
	}
}
