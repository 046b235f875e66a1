package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// fixedDay is "today" in respondent tests: the test campaign runs from
// 2026-03-02 to 2026-03-20.
func fixedDay(day string) func() time.Time {
	t, _ := time.Parse(survey.DateLayout, day)
	t = t.Add(10 * time.Hour)
	return func() time.Time { return t }
}

// surveyFixture is an open campaign over orgCSV with a few invitations and links.
type surveyFixture struct {
	st       *survey.Store
	app      *fiber.App
	campaign *survey.Campaign
	tokens   []string // personal invitations of A1
	links    map[string]string
}

// newSurvey opens a campaign over B (4 teams) on 2026-03-05 and serves it.
func newSurvey(tb testing.TB, dialect string) *surveyFixture {
	tb.Helper()
	return newSurveyOn(tb, surveytest.MustOpen(tb, dialect, survey.Options{Now: fixedDay("2026-03-05")}))
}

// newSurveyOn is newSurvey on a store the test opened itself.
func newSurveyOn(tb testing.TB, st *survey.Store) *surveyFixture {
	tb.Helper()
	ctx := context.Background()
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	rows, _ := survey.ParseOrgCSV(strings.NewReader(orgCSV))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		tb.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague 1", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
	if err != nil {
		tb.Fatal(err)
	}
	if c, err = st.OpenCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	f := &surveyFixture{st: st, campaign: c, links: map[string]string{}}
	issued, err := st.GenerateInvitations(ctx, c.ID, survey.InvitationRequest{TeamCodes: []string{"A1"}, Count: 3})
	if err != nil {
		tb.Fatal(err)
	}
	for _, inv := range issued {
		f.tokens = append(f.tokens, inv.Token)
	}
	links, err := st.TeamLinks(ctx, c.ID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range links {
		f.links[l.TeamCode] = l.Key
	}
	f.app = api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://survey.example.com"})
	hrTokens.Store(f.app, mustHRToken(tb, st))
	return f
}

// at serves the same database as if today were day.
func (f *surveyFixture) at(day string) *fiber.App {
	return api.New(api.Deps{Store: f.st.WithClock(fixedDay(day)), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// mixAll moves every answer out of the mixing stage, as the day after
// closing does, so that tests can read them in responses.
func (f *surveyFixture) mixAll(tb testing.TB) {
	tb.Helper()
	if _, err := f.st.WithClock(fixedDay("2026-03-21")).MixPending(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// responses counts the stored answers, mixed or still in the mixing stage.
func (f *surveyFixture) responses(tb testing.TB) int64 {
	tb.Helper()
	n, err := f.st.StoredAnswers(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// page sends a browser request (HTML accepted, French) and returns the answer and its body.
func page(tb testing.TB, app *fiber.App, method, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// postJSON sends a JSON body to the API and decodes an error answer into e.
func postJSON(tb testing.TB, app *fiber.App, path string, body []byte, e *apiError, cookies ...*http.Cookie) *http.Response {
	tb.Helper()
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	if e != nil {
		data, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(data, e)
	}
	return resp
}

// cookieNamed returns the cookie set by resp, or nil.
func cookieNamed(resp *http.Response, prefix string) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if strings.HasPrefix(ck.Name, prefix) {
			return ck
		}
	}
	return nil
}
