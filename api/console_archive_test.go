package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// hrCall sends a console request as HR (newApp's API token) in French
// and returns the status, the redirect and the page.
func hrCall(t *testing.T, app *fiber.App, method, path, form string) (int, string, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form))
	if form != "" {
		req.Header.Set("Content-Type", formPost)
	}
	req.Header.Set("Accept-Language", "fr")
	if tok, ok := hrTokens.Load(app); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// consoleApp is an app on a fresh store of dialect holding secOrg, with
// the fixture's clock and an HR token for hrCall.
func consoleApp(t *testing.T, dialect string) (*fiber.App, *survey.Store) {
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: startOfTests})
	ctx := context.Background()
	if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
		t.Fatal(err)
	}
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hrTokens.Store(app, mustHRToken(t, st))
	rows, _ := survey.ParseOrgCSV(strings.NewReader(secOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	return app, st
}

// archiveCase is secOrg with a closed wave over SUDX (12 answers from
// NIMESX) and an open one over NORD.
func archiveCase(t *testing.T, dialect string) (*fiber.App, *survey.Store, *survey.Campaign) {
	app, st := consoleApp(t, dialect)
	ctx := context.Background()
	var camps []*survey.Campaign
	for _, code := range []string{"SUDX", "NORD"} {
		c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague " + code, QuestionnaireID: 1, TeamCodes: []string{code}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
		if err == nil {
			_, err = st.OpenCampaign(ctx, c.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		camps = append(camps, c)
	}
	nimes, _ := st.TeamByCode(ctx, "NIMESX")
	for i := range 12 {
		if _, err := st.Submit(ctx, survey.Submission{CampaignID: camps[0].ID, TeamID: nimes.ID, Answers: sms(1+i%2, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CloseCampaign(ctx, camps[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WithClock(fixedDay("2026-03-21")).MixPending(ctx); err != nil {
		t.Fatal(err)
	}
	return app, st, camps[0]
}

// HR archives a sector whose only campaign closed, from the console, after
// a confirmation: its closed wave's figures are unchanged, and it is gone
// from today's org, the campaign form's team picker, the coverage import
// and the org file (an import without it passes; one listing it again
// restores it, and the preview says so). The audit log says it in French.
func TestConsoleArchive_ClosedWavesTeamLeavesTodayKeepsItsResults(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st, closed := archiveCase(t, dialect)
		ctx := context.Background()
		exports := func() string {
			var all string
			for _, table := range []string{"gaps", "participation"} {
				s, _, body := hrCall(t, app, "GET", fmt.Sprintf("/api/v1/campaigns/%d/export/%s?depth=all&format=csv&lang=fr", closed.ID, table), "")
				if s != 200 {
					t.Fatalf("export %s: %d", table, s)
				}
				all += body
			}
			return all
		}
		before := exports()
		if !strings.Contains(before, "NIMESX") {
			t.Fatalf("the closed wave's export does not list NIMESX: %s", before)
		}

		s, _, page := hrCall(t, app, "GET", "/hr/org/archive", "")
		if s != 200 || !strings.Contains(page, `name="code" value="SUDX"`) || strings.Contains(page, `name="code" value="NORD"`) {
			t.Fatalf("archive page: %d; want SUDX offered, NORD (open wave) not: %s", s, page)
		}
		if !strings.Contains(page, "Fait partie de « Vague NORD », pas encore close.") {
			t.Error("the archive page does not say why NORD cannot go yet")
		}
		s, _, page = hrCall(t, app, "POST", "/hr/org/archive", "code=SUDX")
		if s != 200 || !strings.Contains(page, "Cela archive 2 équipe(s) ayant participé à 1 campagne(s).") {
			t.Fatalf("first step: %d, want the French confirmation: %s", s, page)
		}
		if archived, _ := st.ArchivedTeams(ctx); len(archived) != 0 {
			t.Fatal("the confirmation step archived")
		}
		s, loc, _ := hrCall(t, app, "POST", "/hr/org/archive", "code=SUDX&confirm=yes")
		if s != 303 || loc != "/hr/org/archive?done=team_archived" {
			t.Fatalf("archive: %d %q", s, loc)
		}
		_, _, page = hrCall(t, app, "GET", loc, "")
		if !strings.Contains(page, "L’équipe a été archivée.") || !strings.Contains(page, "<li>Agence Nimoise (NIMESX) <span class=\"muted\">archivée le 10 mars 2026</span></li>") {
			t.Errorf("after archiving, the page neither says so nor lists NIMESX as archived")
		}

		// The console's own pages of the closed wave still list the archived
		// branch, and its manager still sees the wave.
		for _, path := range []string{fmt.Sprintf("/hr/campaigns/%d", closed.ID), fmt.Sprintf("/hr/campaigns/%d/comments", closed.ID)} {
			if s, _, body := hrCall(t, app, "GET", path, ""); s != 200 || !strings.Contains(body, "Agence Nimoise") {
				t.Errorf("%s after archiving: %d, no longer lists Agence Nimoise", path, s)
			}
		}
		sud, _ := st.TeamByCode(ctx, "SUDX")
		if cs, err := st.VisibleCampaigns(ctx, survey.TeamScope(sud.ID)); err != nil || len(cs) != 1 || len(cs[0].TeamIDs) != 2 {
			t.Errorf("the archived sector's manager sees %+v (%v), want the closed wave over its 2 teams", cs, err)
		}
		if after := exports(); after != before {
			t.Errorf("the closed wave's exports changed after archiving:\nbefore %s\nafter  %s", before, after)
		}
		for _, path := range []string{"/hr/org", "/hr/campaigns/new", "/api/v1/org"} {
			if _, _, body := hrCall(t, app, "GET", path, ""); strings.Contains(body, "SUDX") || strings.Contains(body, "NIMESX") {
				t.Errorf("%s still offers an archived team", path)
			}
		}
		cov := "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent\nNIMESX,2026-02,80,20,20,10,10\n"
		if s, _, page := hrPageMultipart(t, app, "/hr/coverage", "coverage.csv", cov); s != 422 || !strings.Contains(page, "NIMESX") {
			t.Errorf("coverage of an archived branch: %d, want refused naming it: %s", s, page)
		}
		without := "code,parent_code,name,headcount\nB,,Banque,2\nNORD,B,Secteur Nord,1\nLILLE,NORD,Agence Lille,12\n"
		s, _, page = hrCall(t, app, "POST", "/hr/org/apply", "file="+url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(without))))
		if s != 303 {
			t.Errorf("an import without the archived teams: %d %s", s, page)
		}
		s, _, page = hrCall(t, app, "GET", "/hr/audit", "")
		if s != 200 || !strings.Contains(page, "équipe archivée") || !strings.Contains(page, "NIMESX SUDX") {
			t.Errorf("the French audit log does not show the archiving: %s", page)
		}

		back := without + "SUDX,B,Secteur Sudiste,1\n"
		if s, _, page := hrPageMultipart(t, app, "/hr/org/preview", "org.csv", back); s != 200 || !strings.Contains(page, `id="restored"`) || !strings.Contains(page, "Secteur Sudiste (SUDX)") {
			t.Errorf("preview of an import listing SUDX again: %d, want it among the restored: %s", s, page)
		}
	})
}

// hrPageMultipart posts a file as the console's upload forms do.
func hrPageMultipart(t *testing.T, app *fiber.App, path, name, file string) (int, string, string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(multipartFile("file", name, file)))
	req.Header.Set("Content-Type", multipartType)
	req.Header.Set("Accept-Language", "fr")
	tok, _ := hrTokens.Load(app)
	req.Header.Set("Authorization", "Bearer "+tok.(string))
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// Refusals show the French reason next to the team (or at the top for an
// unknown code) and archive nothing; a manager is refused outright.
func TestConsoleArchive_RefusalsSayWhyAndArchiveNothing(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st, _ := archiveCase(t, dialect)
		s, _, page := hrCall(t, app, "POST", "/hr/org/archive", "code=NORD&confirm=yes")
		if s != 409 || !strings.Contains(page, `id="code-error">L’équipe NORD fait partie de la campagne « Vague NORD », qui n’est pas close`) {
			t.Errorf("archiving a team of an open wave: %d %s", s, page)
		}
		s, _, page = hrCall(t, app, "POST", "/hr/org/archive", "code=LILLE%27X&confirm=yes")
		if s != 404 || !strings.Contains(page, "n’est pas dans l’organigramme actuel") || strings.Contains(page, "not in today") {
			t.Errorf("archiving an unknown code: %d %s", s, page)
		}
		if archived, _ := st.ArchivedTeams(context.Background()); len(archived) != 0 {
			t.Errorf("refusals archived %d teams", len(archived))
		}
	})
	f := newFixture(t)
	archivableSud(f)
	if resp, _ := f.mgr.do("POST", "/hr/org/archive", formPost, "code=SUDX&confirm=yes"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a manager archiving: %d, want 403", resp.StatusCode)
	}
	if resp, _ := f.mgr.do("GET", "/hr/org/archive", "", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a manager on the archive page: %d, want 403", resp.StatusCode)
	}
	if archived, _ := f.st.ArchivedTeams(context.Background()); len(archived) != 0 {
		t.Errorf("a manager archived %d teams", len(archived))
	}
	// The same form works for HR with a session.
	if resp, _ := f.hr.do("POST", "/hr/org/archive", formPost, "code=SUDX&confirm=yes"); resp.StatusCode != 303 {
		t.Errorf("HR archiving: %d, want 303", resp.StatusCode)
	}
}
