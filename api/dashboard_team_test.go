package api_test

import (
	"strings"
	"testing"
)

func TestTeamPage_ShowsStaffGapCoverageAndActions(t *testing.T) {
	f := newFixture(t)
	addCoverage(f)
	addActions(f)
	resp, body := f.hr.do("GET", "/dashboard/teams/1", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`id="staff"`, `href="/dashboard/campaigns/3/teams/1"`, // the staff gap links to the latest wave's group page
		`id="coverage-trend-spec"`, `id="coverage-branches-spec"`, `<th scope="row">2026-02</th><td>180</td>`,
		`id="coverage-scatter"`, "Contact clients by SMS", `href="/dashboard/teams/2"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("branch page lacks %q", want)
		}
	}
	if strings.Contains(body, "style=") {
		t.Errorf("branch page has an inline style")
	}
}
