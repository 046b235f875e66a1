package api_test

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"digigap/auth"
)

// The org file's manager_email column: the preview lists the accounts to
// create and to disable before anything changes; applying it changes the
// managers' scopes at their next request, audited.
func TestConsole_OrgPreviewListsManagerAccountsAndApplyMovesScopes(t *testing.T) {
	f := newFixture(t)
	resp, page := f.hr.do("POST", "/hr/org/preview", multipartType, multipartFile("file", "org.csv", managersOrg))
	if resp.StatusCode != 200 || !strings.Contains(page, `id="managers"`) || !strings.Contains(page, "lea@bank.example") || !strings.Contains(page, "LILLE") {
		t.Fatalf("preview: status %d %s", resp.StatusCode, page)
	}
	if _, err := f.acc.UserByEmail(t.Context(), "lea@bank.example"); err == nil {
		t.Fatal("the preview created the account")
	}
	apply := func(csv string) {
		t.Helper()
		resp, _ := f.hr.do("POST", "/hr/org/apply", formPost, "file="+url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(csv))))
		if resp.StatusCode != 303 {
			t.Fatalf("apply: status %d", resp.StatusCode)
		}
	}
	apply(managersOrg)
	lea, err := f.acc.UserByEmail(t.Context(), "lea@bank.example")
	if err != nil || lea.Role != auth.RoleManager || !lea.FromOrg {
		t.Fatalf("lea after the import: %+v, %v", lea, err)
	}
	if _, page := f.hr.do("GET", "/hr/users", "", ""); !strings.Contains(page, "pas encore de mot de passe") || !strings.Contains(page, "issu du fichier de l&#39;organisation") {
		t.Errorf("the users page does not say lea has no password yet and came from the file")
	}
	// lea gets a password from HR (local sign-in), signs in, sees LILLE.
	if err := f.acc.SetPassword(t.Context(), lea.ID, testPassword, ""); err != nil {
		t.Fatal(err)
	}
	c := f.client()
	c.login("lea@bank.example", testPassword)
	scope := func(when string, lille, nimes int) {
		t.Helper()
		if resp, _ := c.do("GET", "/dashboard/teams/3", "", ""); resp.StatusCode != lille {
			t.Errorf("%s: lea on LILLE: status %d, want %d", when, resp.StatusCode, lille)
		}
		if resp, _ := c.do("GET", "/dashboard/teams/5", "", ""); resp.StatusCode != nimes {
			t.Errorf("%s: lea on NIMESX: status %d, want %d", when, resp.StatusCode, nimes)
		}
	}
	scope("first import", 200, 403)
	// The next file moves lea to NIMESX: preview says so, apply moves her scope.
	moved := strings.Replace(strings.Replace(managersOrg, "12,lea@bank.example", "12,", 1), "9,\n", "9,lea@bank.example\n", 1)
	_, page = f.hr.do("POST", "/hr/org/preview", multipartType, multipartFile("file", "org.csv", moved))
	if !strings.Contains(page, "LILLE → NIMESX") {
		t.Errorf("the preview does not show lea's move: %s", page)
	}
	apply(moved)
	scope("after the move, same session", 403, 200)
	// A file without lea: the preview lists her account to disable.
	gone := strings.Replace(moved, "9,lea@bank.example\n", "9,\n", 1)
	_, page = f.hr.do("POST", "/hr/org/preview", multipartType, multipartFile("file", "org.csv", gone))
	if !strings.Contains(page, `id="managers-disable"><li>lea@bank.example</li>`) {
		t.Errorf("the preview does not list lea to disable: %s", page)
	}
	apply(gone)
	if resp := c.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("lea's session after her account is disabled: status %d, want 401", resp.StatusCode)
	}
	if e := f.lastAudit(); e.Action != "org.imported" {
		t.Errorf("last audit = %+v, want the org import (after the account changes)", e)
	}
}
