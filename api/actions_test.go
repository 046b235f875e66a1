package api_test

import (
	"context"
	"strings"
	"testing"

	"digigap/survey"
)

func TestActions_ManagerRecordsOnlyInsideSubtree(t *testing.T) {
	f := newFixture(t)
	resp, out := f.mgr.do("POST", "/api/v1/teams/3/actions", "application/json", actionJSON)
	if got, want := resp.StatusCode, 201; got != want {
		t.Fatalf("manager of NORD, action for LILLE: %d %s, want %d", got, out, want)
	}
	resp, out = f.mgr.do("POST", "/api/v1/teams/5/actions", "application/json", actionJSON)
	if got, want := resp.StatusCode, 403; got != want {
		t.Fatalf("manager of NORD, action for NIMESX: %d %s, want %d", got, out, want)
	}
	ctx := context.Background()
	if list, _ := f.st.Actions(ctx, survey.FullScope(), 5); len(list) != 0 {
		t.Errorf("a refused action was stored: %+v", list)
	}
	other, err := f.st.AddAction(ctx, survey.FullScope(), 5, survey.ActionInput{Title: "E-mail", Channels: []string{"email"}, StartsOn: "2026-01-05", OwnerRole: "sector head"})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ = f.mgr.do("PUT", "/api/v1/actions/"+itoa(other.ID), "application/json", `{"status":"done"}`)
	if got, want := resp.StatusCode, 403; got != want {
		t.Errorf("manager of NORD, status of NIMESX's action: %d, want %d", got, want)
	}
	if list, _ := f.st.Actions(ctx, survey.FullScope(), 5); list[0].Status != survey.ActionPlanned {
		t.Errorf("status changed to %q by a manager out of scope", list[0].Status)
	}
	page, err := f.st.AuditLog(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if e := page.Entries[0]; e.Action != survey.AuditActionCreated || e.Actor != "(system)" {
		t.Errorf("latest audit entry = %+v, want the action created by the store call", e)
	}
	if e := page.Entries[1]; e.Action != survey.AuditActionCreated || e.Actor != "nord@bank.example" {
		t.Errorf("audit entry = %+v, want the manager's action", e)
	}
}

func TestActions_OwnerRoleRefusesPersonalData(t *testing.T) {
	f := newFixture(t)
	body := strings.Replace(actionJSON, "branch director", "jean.dupont@bank.example", 1)
	resp, out := f.hr.do("POST", "/api/v1/teams/3/actions", "application/json", body)
	if resp.StatusCode != 422 || !strings.Contains(out, `"field":"owner_role"`) {
		t.Errorf("owner role with an e-mail: %d %s, want 422 on owner_role", resp.StatusCode, out)
	}
}

func TestActions_ListShowsGapAfterFromCampaign(t *testing.T) {
	f := newFixture(t)
	addActions(f)
	_, out := f.mgr.do("GET", "/api/v1/teams/2/actions", "", "")
	if !strings.Contains(out, `"before":null,"after":{"id":3,`) || !strings.Contains(out, `"channel":"sms","before":null,"after":{"channel":"sms","suppressed":`) {
		t.Errorf("actions = %s, want campaign 3 after and an sms cell", out)
	}
}
