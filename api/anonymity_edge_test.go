package api_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// Regression tests of issue 12, cases 7 (team-link stuffing), 8 (counts on
// the HR console) and 9 (metadata of waves out of a manager's scope).

// edgeFixture is newFixture's org and campaigns on any dialect: campaign 1
// over NORD, 2 ("Vague Sud", k = 7, in February, closed, 6 answers) over
// SUDX only, 3 over the whole bank; HR and the NORD manager signed in.
func edgeFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)}
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: clock.Now})
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := survey.ParseOrgCSV(strings.NewReader(secOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	for _, in := range []survey.CampaignInput{
		{Name: "Vague Nord", TeamCodes: []string{"NORD"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"},
		{Name: "Vague Sud", TeamCodes: []string{"SUDX"}, OpensOn: "2026-02-02", ClosesOn: "2026-02-16", MinGroup: 7},
		{Name: "Vague Banque", TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"},
	} {
		in.QuestionnaireID = q.ID
		if _, err := st.CreateCampaign(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	clock.t = time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)
	if _, err := st.OpenCampaign(ctx, 2); err != nil {
		t.Fatal(err)
	}
	nimes, _ := st.TeamByCode(ctx, "NIMESX")
	for range 7 {
		sub := survey.Submission{CampaignID: 2, TeamID: nimes.ID, Answers: q.Def.AnswersFromForm(map[string][]string{"sms.private": {"3"}, "sms.work": {"1"}})}
		if _, err := st.Submit(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	clock.t = startOfTests() // wave 2 closed on 2026-02-16
	acc := auth.New(st)
	mustUser(t, acc, "hr@bank.example", auth.RoleHR)
	mustUser(t, acc, "nord@bank.example", auth.RoleManager, "NORD")
	f := &fixture{t: t, st: st, acc: acc, clock: clock}
	f.app = api.New(api.Deps{Store: st, Accounts: acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), InsecureCookies: true})
	f.anon, f.hr, f.mgr = f.client(), f.client(), f.client()
	f.hr.login("hr@bank.example", testPassword)
	f.mgr.login("nord@bank.example", testPassword)
	return f
}

// sudWave are the strings that would tell a NORD manager about "Vague Sud":
// its name, its dates in every format the app writes, its threshold.
var sudWave = []string{"Vague Sud", "2026-02-02", "2026-02-16", "2 février", "16 février", "2 February", "16 February",
	"February 2,", "February 16,", `"min_group":7`, `"k":7`, "k = 7", "k&nbsp;=&nbsp;7"}

func noSudWave(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range sudWave {
		if strings.Contains(body, s) {
			t.Errorf("%s: a NORD manager's answer holds %q of a wave that never covered NORD: %.400s", what, s, body)
		}
	}
}

// withCompare adds compare=2 to a path's query.
func withCompare(path string) string {
	if strings.Contains(path, "?") {
		return path + "&compare=2"
	}
	return path + "?compare=2"
}

// TestScope_WavesOutsideAManagersTreeTellNothing walks every figure,
// export and dashboard route of the router as the NORD manager: for
// campaign 2 (SUDX only) each answers 403 or 404, and no route, with
// compare=2 or listing waves (the trend, the campaign lists), names it,
// dates it or gives its k.
func TestScope_WavesOutsideAManagersTreeTellNothing(t *testing.T) {
	for _, dialect := range surveytest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			f := edgeFixture(t, dialect)
			closeCampaign3(f)
			if resp, _ := f.mgr.do("GET", "/api/v1/campaigns/2", "", ""); resp.StatusCode != 403 {
				t.Fatalf("GET /campaigns/2 as the NORD manager: %d, want 403", resp.StatusCode)
			}
			walked := 0
			for key, spec := range routeTable {
				method, _, _ := strings.Cut(key, " ")
				if method != "GET" || (spec.class != scoped && spec.class != signedIn) {
					continue
				}
				if spec.setup != nil {
					spec.setup(f)
				}
				_, body := f.mgr.do("GET", spec.in, "", "")
				noSudWave(t, key+" in scope", body)
				if !strings.Contains(spec.in, "/campaigns/3") {
					continue
				}
				walked++
				out := strings.Replace(spec.in, "/campaigns/3", "/campaigns/2", 1)
				resp, body := f.mgr.do("GET", out, "", "")
				if resp.StatusCode != 403 && resp.StatusCode != 404 {
					t.Errorf("GET %s as the NORD manager: %d, want 403 or 404", out, resp.StatusCode)
				}
				noSudWave(t, "GET "+out, body)
				cmp := withCompare(spec.in)
				_, body = f.mgr.do("GET", cmp, "", "")
				noSudWave(t, "GET "+cmp, body)
			}
			if walked < 8 {
				t.Errorf("walked %d campaign routes: the route table changed shape", walked)
			}
			// HR still reads the wave, and compares with it.
			if resp, body := f.hr.do("GET", "/api/v1/campaigns/3/gaps?compare=2", "", ""); resp.StatusCode != 200 || !strings.Contains(body, "Vague Sud") {
				t.Errorf("HR compare with wave 2: %d %.300s", resp.StatusCode, body)
			}
		})
	}
}
