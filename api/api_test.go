package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

const orgCSV = `code,parent_code,name,headcount
B,,Banque,2
S1,B,Secteur Nord,1
A1,S1,Agence Lille,12
A2,S1,Agence Douai,8
`

// newApp builds the real app over a fresh store of dialect, with the default questionnaire.
func newApp(tb testing.TB, dialect string) (*fiber.App, *survey.Store) {
	tb.Helper()
	st := surveytest.MustOpen(tb, dialect)
	if _, err := st.EnsureDefaultQuestionnaire(context.Background()); err != nil {
		tb.Fatal(err)
	}
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hrTokens.Store(app, mustHRToken(tb, st))
	return app, st
}

// hrTokens holds an HR API token for each app newApp built, which do sends.
var hrTokens sync.Map

// mustHRToken creates an HR account and an API token acting for it.
func mustHRToken(tb testing.TB, st *survey.Store) string {
	tb.Helper()
	acc := auth.New(st)
	u, err := acc.CreateUser(context.Background(), auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR, Password: testPassword})
	if err != nil {
		tb.Fatal(err)
	}
	secret, _, err := acc.CreateToken(context.Background(), u, auth.TokenInput{Name: "tests"})
	if err != nil {
		tb.Fatal(err)
	}
	return secret
}

// testPassword passes the password rules.
const testPassword = "correct horse battery staple"

// do sends one request through the app and decodes a JSON answer into out (if not nil).
func do(tb testing.TB, app *fiber.App, method, path, contentType string, body []byte, out any) *http.Response {
	tb.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok, ok := hrTokens.Load(app); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil {
		data, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: bad JSON %q: %v", method, path, data, err)
		}
	}
	return resp
}

type apiError struct {
	Error struct {
		Code, Message, Field string
		Key                  string // the catalogue key clients can switch on
		Details              []struct{ Code, Message, Field string }
	}
}

func TestHealth_ProbesAnswer(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	for _, path := range []string{"/healthz", "/readyz"} {
		if got, want := do(t, app, "GET", path, "", nil, nil).StatusCode, 200; got != want {
			t.Errorf("%s = %d, want %d", path, got, want)
		}
	}
}

func TestReadyz_DatabaseGoneIs503(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	st.Close()
	var e apiError
	if got, want := do(t, app, "GET", "/readyz", "", nil, &e).StatusCode, 503; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := e.Error.Code, survey.EUNAVAILABLE; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
}

func TestAPI_ErrorShapes(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, _ := newApp(t, dialect)
		do(t, app, "POST", "/api/v1/org/import", "text/csv", []byte(orgCSV), nil)
		valid := `{"name":"Vague 1","questionnaire_id":1,"team_codes":["B"],"opens_on":"2026-03-02","closes_on":"2026-03-20"}`
		do(t, app, "POST", "/api/v1/campaigns", "application/json", []byte(valid), nil)
		do(t, app, "POST", "/api/v1/campaigns/1/open", "", nil, nil)
		tests := []struct {
			name, method, path, ctype, body string
			status                          int
			code, field                     string
		}{
			{"malformed JSON", "POST", "/api/v1/campaigns", "application/json", `{"name":`, 400, survey.EMALFORMED, ""},
			{"wrong JSON type", "POST", "/api/v1/campaigns", "application/json", `{"name":3}`, 400, survey.EMALFORMED, ""},
			{"unknown route", "GET", "/api/v1/nothing", "", "", 404, survey.ENOTFOUND, ""},
			{"unknown campaign", "GET", "/api/v1/campaigns/99", "", "", 404, survey.ENOTFOUND, ""},
			{"non-numeric id", "GET", "/api/v1/campaigns/abc", "", "", 404, survey.ENOTFOUND, "id"},
			{"open twice", "POST", "/api/v1/campaigns/1/open", "", "", 409, survey.ECONFLICT, ""},
			{"invalid field", "POST", "/api/v1/campaigns", "application/json", strings.Replace(valid, `"team_codes":["B"]`, `"team_codes":["B"],"min_group":2`, 1), 422, survey.EINVALID, "min_group"},
			{"bad org row", "POST", "/api/v1/org/import", "text/csv", orgCSV + "A3,ZZ,Agence,3\n", 422, survey.EINVALID, "line 6"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var e apiError
				resp := do(t, app, tt.method, tt.path, tt.ctype, []byte(tt.body), &e)
				if got, want := resp.StatusCode, tt.status; got != want {
					t.Errorf("status = %d, want %d", got, want)
				}
				if got, want := e.Error.Code, tt.code; got != want {
					t.Errorf("code = %q, want %q", got, want)
				}
				if got, want := e.Error.Field, tt.field; got != want {
					t.Errorf("field = %q, want %q", got, want)
				}
				if e.Error.Message == "" {
					t.Error("empty message")
				}
			})
		}
	})
}

func TestOrgImport_MultipartDryRunThenApply(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "org.csv")
	fw.Write([]byte(orgCSV))
	mw.Close()
	var out struct {
		Applied bool
		Plan    survey.OrgPlan
	}
	do(t, app, "POST", "/api/v1/org/import?dry_run=true", mw.FormDataContentType(), body.Bytes(), &out)
	if out.Applied || len(out.Plan.Added) != 4 {
		t.Fatalf("dry run = %+v, want 4 additions not applied", out)
	}
	if teams, _ := st.Teams(context.Background()); len(teams) != 0 {
		t.Fatalf("dry run stored %d teams", len(teams))
	}
	do(t, app, "POST", "/api/v1/org/import", "text/csv", []byte(orgCSV), &out)
	var list struct {
		Teams []struct{ Code, ParentCode string }
	}
	do(t, app, "GET", "/api/v1/teams", "", nil, &list)
	if got, want := len(list.Teams), 4; got != want {
		t.Fatalf("teams = %d, want %d", got, want)
	}
}

func TestCampaigns_CreateOpenCloseThroughAPI(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	do(t, app, "POST", "/api/v1/org/import", "text/csv", []byte(orgCSV), nil)
	// id and state in the body are not the caller's to set (mass assignment).
	body := `{"id":77,"state":"closed","name":"Vague 1","questionnaire_id":1,"team_codes":["S1"],"opens_on":"2026-03-02","closes_on":"2026-03-20","min_group":6}`
	var c struct {
		ID       int64
		State    string
		MinGroup int   `json:"min_group"`
		TeamIDs  []int `json:"team_ids"`
	}
	if got, want := do(t, app, "POST", "/api/v1/campaigns", "application/json", []byte(body), &c).StatusCode, 201; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if c.ID != 1 || c.State != "draft" || c.MinGroup != 6 || len(c.TeamIDs) != 3 {
		t.Fatalf("campaign = %+v", c)
	}
	for _, step := range []struct{ path, state string }{{"/api/v1/campaigns/1/open", "open"}, {"/api/v1/campaigns/1/close", "closed"}} {
		if do(t, app, "POST", step.path, "", nil, &c); c.State != step.state {
			t.Errorf("%s: state = %q, want %q", step.path, c.State, step.state)
		}
	}
}

func TestQuestionnaires_UploadValidatesAndVersions(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	def := survey.DefaultDefinitionYAML()
	var e apiError
	if got, want := do(t, app, "POST", "/api/v1/questionnaires", "application/yaml", def, &e).StatusCode, 409; got != want {
		t.Errorf("same version again: status = %d, want %d", got, want)
	}
	v2 := bytes.Replace(def, []byte("version: 1"), []byte("version: 2"), 1)
	var q struct {
		ID        int64
		Version   int
		IsCurrent bool `json:"is_current"`
	}
	if got, want := do(t, app, "POST", "/api/v1/questionnaires?current=true", "application/yaml", v2, &q).StatusCode, 201; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if q.Version != 2 || !q.IsCurrent {
		t.Errorf("stored = %+v, want version 2, current", q)
	}
	bad := bytes.Replace(v2, []byte("channel: sms"), []byte("channel: fax"), 1)
	bad = bytes.Replace(bad, []byte("version: 2"), []byte("version: 3"), 1)
	e = apiError{}
	if got, want := do(t, app, "POST", "/api/v1/questionnaires", "application/yaml", bad, &e).StatusCode, 422; got != want {
		t.Errorf("unknown channel: status = %d, want %d", got, want)
	}
	if !strings.Contains(e.Error.Message+e.Error.Field, "sms") {
		t.Errorf("error %+v does not name the item", e.Error)
	}
}

func TestOpenAPI_DescribesEveryRoute(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	var doc struct {
		Paths map[string]map[string]any
	}
	do(t, app, "GET", "/api/v1/openapi.json", "", nil, &doc)
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" {
			continue
		}
		path := openapiPath(strings.TrimPrefix(r.Path, "/api/v1"))
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is missing from openapi.json", r.Method, path)
		}
	}
}

// openapiPath turns Fiber's /campaigns/:id into OpenAPI's /campaigns/{id}.
func openapiPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + strings.TrimSuffix(strings.TrimPrefix(s, ":"), "?") + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestAPI_BodyOverLimitIs413(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	defer app.Shutdown()
	// Announce a body over the limit: the server must refuse it before reading it.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/org/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\nxx", api.BodyLimit+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e apiError
	data, _ := io.ReadAll(resp.Body)
	if got, want := resp.StatusCode, 413; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if err := json.Unmarshal(data, &e); err != nil || e.Error.Code != survey.ETOOLARGE {
		t.Errorf("body = %s, want a too_large JSON error", data)
	}
}

func TestPages_UnknownPageIsLocalisedHTMLWithSecurityHeaders(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	for lang, want := range map[string]string{"fr-FR,fr;q=0.9": "existe pas", "en-GB": "This page does not exist"} {
		req := httptest.NewRequest("GET", "/nowhere", nil)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Accept-Language", lang)
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || !strings.Contains(string(body), want) {
			t.Errorf("%s: status %d, body %s", lang, resp.StatusCode, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "'nonce-"} {
			if !strings.Contains(csp, part) {
				t.Errorf("CSP %q lacks %q", csp, part)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP allows unsafe-inline: %q", csp)
		}
		if got, want := resp.Header.Get("Referrer-Policy"), "no-referrer"; got != want {
			t.Errorf("Referrer-Policy = %q, want %q", got, want)
		}
	}
}

func TestMessageCatalogues_HaveTheSameKeys(t *testing.T) {
	fr, en := api.Catalog("fr"), api.Catalog("en")
	for k := range en {
		if _, ok := fr[k]; !ok {
			t.Errorf("fr.yaml lacks %q", k)
		}
	}
	for k := range fr {
		if _, ok := en[k]; !ok {
			t.Errorf("en.yaml lacks %q", k)
		}
	}
}

func TestMetrics_ServedToAllowedAddressesOnly(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	everyone, _ := api.ParseNetworks("0.0.0.0/0,::/0")
	nobody, _ := api.ParseNetworks("192.0.2.1")
	for _, tt := range []struct {
		name    string
		allowed []*net.IPNet
		status  int
	}{{"allowed", everyone, 200}, {"other address", nobody, 401}} {
		app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsAllowed: tt.allowed})
		do(t, app, "GET", "/healthz", "", nil, nil)
		resp := do(t, app, "GET", "/metrics", "", nil, nil)
		body, _ := io.ReadAll(resp.Body)
		if got, want := resp.StatusCode, tt.status; got != want {
			t.Errorf("%s: status = %d, want %d", tt.name, got, want)
		}
		if tt.status == 200 && !strings.Contains(string(body), `digigap_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
			t.Errorf("%s: metrics lack the healthz request:\n%s", tt.name, body)
		}
	}
}
