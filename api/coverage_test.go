package api_test

import (
	"strings"
	"testing"
)

func TestCoverageAPI_JSONBadRowsListedNothingStored(t *testing.T) {
	f := newFixture(t)
	body := `{"rows":[{"team_code":"LILLE","period":"2026-02","clients":10,"with_mobile":11,"with_email":0,"sms_consent":0,"email_consent":0},
		{"team_code":"NOPE","period":"2026-02","clients":10,"with_mobile":1,"with_email":0,"sms_consent":0,"email_consent":0}]}`
	resp, out := f.hr.do("POST", "/api/v1/coverage", "application/json", body)
	if got, want := resp.StatusCode, 422; got != want {
		t.Fatalf("status = %d %s, want %d", got, out, want)
	}
	if !strings.Contains(out, "row 1: with_mobile (11) is more than clients (10)") {
		t.Errorf("answer %s does not name row 1 and its reason", out)
	}
	_, out = f.hr.do("GET", "/api/v1/coverage?team=1", "", "")
	if !strings.Contains(out, `"periods":[]`) {
		t.Errorf("coverage after a refused import: %s, want no period", out)
	}
}

func TestCoverageAPI_GroupIsSumOfItsBranches(t *testing.T) {
	f := newFixture(t)
	body := `{"rows":[{"team_code":"LILLE","period":"2026-02","clients":100,"with_mobile":50,"with_email":40,"sms_consent":30,"email_consent":20},
		{"team_code":"NIMESX","period":"2026-02","clients":80,"with_mobile":20,"with_email":20,"sms_consent":10,"email_consent":10}]}`
	if resp, out := f.hr.do("POST", "/api/v1/coverage", "application/json", body); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, out)
	}
	_, out := f.hr.do("GET", "/api/v1/coverage?team=1", "", "")
	want := `"periods":[{"period":"2026-02","reporting_teams":2,"clients":180,"with_mobile":70,"with_email":60,"sms_consent":40,"email_consent":30}]`
	if !strings.Contains(out, want) {
		t.Errorf("bank coverage = %s, want %s", out, want)
	}
	_, out = f.mgr.do("GET", "/api/v1/coverage", "", "")
	if !strings.Contains(out, `"clients":100,`) || strings.Contains(out, "180") {
		t.Errorf("manager's default coverage = %s, want NORD's sums only", out)
	}
}
