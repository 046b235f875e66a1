package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"digigap/auth"
)

var scatterSection = regexp.MustCompile(`(?s)<section class="chart-card" id="coverage-scatter".*?</section>`)

// scatterRows are the row headers of the branch scatter's table view.
func scatterRows(t *testing.T, page string) []string {
	t.Helper()
	sec := scatterSection.FindString(page)
	if sec == "" {
		t.Fatal("no branch scatter on the page")
	}
	var out []string
	for _, m := range regexp.MustCompile(`<th scope="row">(?:<a [^>]*>)?([^<]*)`).FindAllStringSubmatch(sec, -1) {
		out = append(out, m[1])
	}
	return out
}

// A branch's page compares it with the other branches of its sector, its
// own point highlighted, for a reader who may read the sector (HR); a
// branch manager, whose scope is their branch, still sees only their own.
func TestBranchPage_ScatterComparesTheSectorsBranches(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	ctx := context.Background()
	tree, _ := st.Tree(ctx)
	branch := tree.ByCode("AG001")
	_, _, page := get(t, app, fmt.Sprintf("/dashboard/teams/%d?lang=fr", branch.ID))
	rows := scatterRows(t, page)
	if len(rows) < 2 {
		t.Fatalf("HR sees %d branches on the branch's scatter %q, want the sector's branches", len(rows), rows)
	}
	if !strings.Contains(strings.Join(rows, "|"), branch.Name+" (cette agence)") {
		t.Errorf("the branch is not marked among %q", rows)
	}
	sector := map[string]bool{}
	for _, id := range tree.Subtree(*branch.ParentID) {
		sector[tree.Team(id).Name] = true
	}
	for _, r := range rows {
		if !sector[strings.TrimSuffix(r, " (cette agence)")] {
			t.Errorf("%q is not a branch of the sector", r)
		}
	}

	acc := auth.New(st)
	m, err := acc.CreateUser(ctx, auth.UserInput{Email: "ag001@demo.invalid", Role: auth.RoleManager, TeamCodes: []string{"AG001"}, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	sid, _, err := acc.Login(ctx, m.Email, testPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", fmt.Sprintf("/dashboard/teams/%d?lang=fr", branch.ID), nil)
	req.AddCookie(&http.Cookie{Name: "__Host-digigap_session", Value: sid})
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if own := scatterRows(t, string(body)); len(own) != 1 {
		t.Errorf("the branch manager sees %q on the scatter, want only their own branch", own)
	}
}
