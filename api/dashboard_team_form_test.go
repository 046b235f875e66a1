package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"digigap/survey"
)

// Handler tests of the branch page's action forms: a valid form records
// through the store (audited) and redirects back; an invalid one shows
// its message next to the field and stores nothing; a manager writes for
// the teams they lead only.

func actionForm(title, starts, owner, status string, channels ...string) string {
	v := url.Values{"title": {title}, "starts_on": {starts}, "owner_role": {owner}, "status": {status}, "channels": channels}
	return v.Encode()
}

func (f *fixture) actionOf(id int64) survey.Action {
	var a survey.Action
	if err := f.st.ReadDB().Take(&a, id).Error; err != nil {
		f.t.Fatal(err)
	}
	return a
}

func TestTeamActionForm_ValidPostRecordsAndRedirects(t *testing.T) {
	f := newFixture(t)
	_, page := f.mgr.do("GET", "/dashboard/teams/3", "", "")
	for _, want := range []string{`action="/dashboard/teams/3/actions#actions"`, `name="channels" value="sms"`, `name="_csrf"`} {
		if !strings.Contains(page, want) {
			t.Errorf("branch page lacks %q", want)
		}
	}
	resp, _ := f.mgr.do("POST", "/dashboard/teams/3/actions", formPost, actionForm("Contact clients by SMS", "2026-01-05", "branch director", "in_progress", "sms", "email"))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/dashboard/teams/3?done=action_added#actions" {
		t.Fatalf("status %d Location %q, want a redirect to the branch page", resp.StatusCode, resp.Header.Get("Location"))
	}
	list, err := f.st.Actions(context.Background(), survey.FullScope(), 3)
	if err != nil || len(list) != 1 {
		t.Fatalf("actions = %v %v, want the one recorded", list, err)
	}
	if a := list[0]; a.Title != "Contact clients by SMS" || a.Status != "in_progress" || strings.Join(a.Channels, ",") != "email,sms" {
		t.Errorf("stored %+v", a)
	}
	if e := f.lastAudit(); e.Action != survey.AuditActionCreated || e.Actor != "nord@bank.example" {
		t.Errorf("last audit entry %+v, want the action's creation by the manager", e)
	}
	if _, page := f.mgr.do("GET", "/dashboard/teams/3?done=action_added", "", ""); !strings.Contains(page, `class="notice-ok" role="status"`) {
		t.Errorf("the page after the redirect does not say what was done")
	}
}

func TestTeamActionForm_EachInvalidFieldShowsItsMessageAndStoresNothing(t *testing.T) {
	f := newFixture(t)
	for field, body := range map[string]string{
		"title":      actionForm(" ", "2026-01-05", "branch director", "planned", "sms"),
		"channels":   actionForm("Training", "2026-01-05", "branch director", "planned"),
		"starts_on":  actionForm("Training", "05/01/2026", "branch director", "planned", "sms"),
		"owner_role": actionForm("Training", "2026-01-05", "jean.dupont@bank.example", "planned", "sms"),
		"status":     actionForm("Training", "2026-01-05", "branch director", "finished", "sms"),
	} {
		resp, page := f.mgr.do("POST", "/dashboard/teams/3/actions", formPost, body)
		if resp.StatusCode != 422 || !strings.Contains(page, `id="error-summary"`) || !strings.Contains(page, `id="`+field+`-error"`) {
			t.Errorf("%s: status %d, want 422 with the message next to the field", field, resp.StatusCode)
		}
		if field == "title" && !strings.Contains(page, `value="branch director"`) {
			t.Errorf("the refused form lost what was typed")
		}
	}
	resp, page := f.mgr.do("POST", "/dashboard/teams/3/actions", formPost, actionForm("Training", "2026-01-05", "branch director", "planned", "fax"))
	if resp.StatusCode != 422 || !strings.Contains(page, `id="channels-error"`) {
		t.Errorf("unknown channel: status %d, want 422", resp.StatusCode)
	}
	if got := f.countOf(&survey.Action{}); got != 0 {
		t.Errorf("actions = %d after refused forms, want 0", got)
	}
}

func TestTeamActionForm_ManagerCannotRecordOutsideTheirTeams(t *testing.T) {
	f := newFixture(t)
	resp, page := f.mgr.do("POST", "/dashboard/teams/5/actions", formPost, actionForm("Training", "2026-01-05", "branch director", "planned", "sms"))
	if resp.StatusCode != 403 {
		t.Errorf("status %d, want 403", resp.StatusCode)
	}
	noForeignData(t, page)
	if got := f.countOf(&survey.Action{}); got != 0 {
		t.Errorf("actions = %d, want nothing stored", got)
	}
}

func TestTeamActionStatus_ChangesThroughTheStoreAndRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	addActions(f) // action 1 on LILLE (3), action 2 on NIMESX (5)
	_, page := f.mgr.do("GET", "/dashboard/teams/2", "", "")
	if !strings.Contains(page, `action="/dashboard/teams/2/actions/1/status#actions"`) {
		t.Fatalf("the branch page has no status form for action 1")
	}
	resp, _ := f.mgr.do("POST", "/dashboard/teams/2/actions/1/status", formPost, "status=done")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/dashboard/teams/2?done=action_status#actions" {
		t.Fatalf("status %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if a := f.actionOf(1); a.Status != "done" {
		t.Errorf("action 1 status %q, want done", a.Status)
	}
	if e := f.lastAudit(); e.Action != survey.AuditActionStatus {
		t.Errorf("last audit entry %+v, want the status change", e)
	}
	resp, page = f.mgr.do("POST", "/dashboard/teams/2/actions/1/status", formPost, "status=finished")
	if resp.StatusCode != 422 || !strings.Contains(page, `id="status-1-error"`) || !strings.Contains(page, `id="error-summary"`) {
		t.Errorf("bad status: %d, want 422 with the message next to the action's status", resp.StatusCode)
	}
	for path, want := range map[string]int{
		"/dashboard/teams/4/actions/2/status": 403, // another sector
		"/dashboard/teams/2/actions/2/status": 404, // not an action of this group
	} {
		if resp, _ := f.mgr.do("POST", path, formPost, "status=done"); resp.StatusCode != want {
			t.Errorf("%s: status %d, want %d", path, resp.StatusCode, want)
		}
	}
	if a, b := f.actionOf(1), f.actionOf(2); a.Status != "done" || b.Status != "planned" {
		t.Errorf("statuses %q, %q after refused changes, want done, planned", a.Status, b.Status)
	}
}
