package api_test

import (
	"strings"
	"testing"

	"digigap/survey"
)

// Handler tests of the console's coverage upload: a valid file is
// imported through the store (audited) and the page says what it stored;
// a bad file lists every bad line with its reason and stores nothing.

func TestConsoleCoverage_ValidFileIsImportedAndShown(t *testing.T) {
	f := newFixture(t)
	if _, page := f.hr.do("GET", "/hr", "", ""); !strings.Contains(page, `href="/hr/coverage"`) {
		t.Errorf("the console nav does not link to the coverage page")
	}
	resp, _ := f.hr.do("POST", "/hr/coverage", multipartType, multipartFile("file", "coverage.csv", coverageCSV))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || loc != "/hr/coverage?rows=2&months=2026-02&done=coverage" {
		t.Fatalf("status %d Location %q, want a redirect to the page", resp.StatusCode, loc)
	}
	if got := f.countOf(&survey.CoverageRow{}); got != 2 {
		t.Errorf("coverage rows = %d, want 2", got)
	}
	if e := f.lastAudit(); e.Action != survey.AuditCoverageImported || e.Actor != "hr@bank.example" {
		t.Errorf("last audit entry %+v, want the import by HR", e)
	}
	_, page := f.hr.do("GET", loc, "", "")
	for _, want := range []string{`id="imported"`, "2026-02", `<td class="num">180</td>`, `<td class="num">70</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("coverage page lacks %q", want)
		}
	}
}

func TestConsoleCoverage_BadFilesListEveryLineAndStoreNothing(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]struct{ body, want string }{
		"bad lines":    {multipartFile("file", "c.csv", coverageCSV+"LILLE,2026-13,10,1,1,1,1\nNORD,2026-01,10,11,1,1,1\n"), "Ligne 4|Ligne 5"},
		"unknown team": {multipartFile("file", "c.csv", coverageCSV+"PARIS,2026-02,10,1,1,1,1\n"), "Ligne 4"},
		"future month": {multipartFile("file", "c.csv", strings.Replace(coverageCSV, "2026-02", "2027-01", 1)), "Ligne 2"},
		"extra column": {multipartFile("file", "c.csv", "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent,name\n"), "La première ligne doit être"},
		"no file":      {"--digigapBoundary--\r\n", `id="file-error"`},
		"empty file":   {multipartFile("file", "c.csv", ""), `id="file-error"`},
	} {
		resp, page := f.hr.do("POST", "/hr/coverage", multipartType, c.body)
		if resp.StatusCode != 422 || !strings.Contains(page, `id="error-summary"`) {
			t.Errorf("%s: status %d, want 422 with the errors listed", name, resp.StatusCode)
		}
		for _, want := range strings.Split(c.want, "|") {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", name, want)
			}
		}
	}
	if got := f.countOf(&survey.CoverageRow{}); got != 0 {
		t.Errorf("coverage rows = %d after refused files, want 0", got)
	}
}
