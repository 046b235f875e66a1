package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/auth"
	"digigap/mailer"
	"digigap/survey"
)

// testClock is a clock tests move by hand (session timeouts, throttling).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// secOrg has two sectors: the manager leads NORD; nothing of SUDX (names,
// codes, campaigns) may ever reach them.
const secOrg = `code,parent_code,name,headcount
B,,Banque,2
NORD,B,Secteur Nord,1
LILLE,NORD,Agence Lille,12
SUDX,B,Secteur Sudiste,1
NIMESX,SUDX,Agence Nimoise,9
`

// foreign are strings of the other sector that no manager answer may hold.
var foreign = []string{"SUDX", "Sudiste", "NIMESX", "Nimoise", "Vague Sud"}

// fixture is an app with an org, two campaigns (1 over NORD, 2 over SUDX),
// an HR user, a manager of NORD and a manager of SUDX.
type fixture struct {
	t          testing.TB
	app        *fiber.App
	st         *survey.Store
	acc        *auth.Service
	clock      *testClock
	hr, mgr    *client
	anon       *client
	hrToken    string
	mgrID      int64
	otherMgrID int64
}

type fixtureOpts struct {
	insecure bool
	proxies  []string
	noMail   bool // no relay configured: the console offers the CSV only
}

// fixtureTemplate is a database with the fixture's data and signed-in
// sessions, built once per options and copied for each test: password
// hashing (argon2id, 19 MiB) is slow on purpose, tests should not repeat it.
type fixtureTemplate struct {
	path                   string
	hrJar, mgrJar          map[string]string
	hrCSRF, mgrCSRF, token string
	mgrID, otherMgrID      int64
}

var (
	templates    sync.Map // fmt.Sprint(fixtureOpts) → *fixtureTemplate
	templateRoot string
)

func TestMain(m *testing.M) {
	templateRoot, _ = os.MkdirTemp("", "digigap-api-test-")
	code := m.Run()
	os.RemoveAll(templateRoot)
	os.Exit(code)
}

func startOfTests() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }

func newFixture(tb testing.TB, o ...fixtureOpts) *fixture {
	tb.Helper()
	var opt fixtureOpts
	if len(o) > 0 {
		opt = o[0]
	}
	tpl := templateFor(tb, opt)
	path := filepath.Join(tb.TempDir(), "digigap.db")
	data, err := os.ReadFile(tpl.path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	clock := &testClock{t: startOfTests()}
	st, err := survey.Open(context.Background(), path, survey.Options{Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	f := &fixture{t: tb, st: st, acc: auth.New(st), clock: clock, hrToken: tpl.token, mgrID: tpl.mgrID, otherMgrID: tpl.otherMgrID}
	f.app = api.New(api.Deps{Store: st, Accounts: f.acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		InsecureCookies: opt.insecure, TrustedProxies: opt.proxies, Mail: idleSender(st, opt)})
	f.anon = f.client()
	f.hr, f.mgr = f.client(), f.client()
	maps.Copy(f.hr.jar, tpl.hrJar)
	maps.Copy(f.mgr.jar, tpl.mgrJar)
	f.hr.csrf, f.mgr.csrf = tpl.hrCSRF, tpl.mgrCSRF
	return f
}

// idleSender is a configured mail sender that is never run: HR's queueing
// works, and messages stay in the outbox (mailer's tests send them).
func idleSender(st *survey.Store, opt fixtureOpts) *mailer.Sender {
	if opt.noMail {
		return nil
	}
	return mailer.New(st, mailer.Options{Relay: &mailer.Relay{Host: "127.0.0.1", Port: 1, TLS: "none"}, From: "enquete@banque.example", BaseURL: "https://enquete.example"})
}

func templateFor(tb testing.TB, opt fixtureOpts) *fixtureTemplate {
	key := fmt.Sprint(opt)
	if t, ok := templates.Load(key); ok {
		return t.(*fixtureTemplate)
	}
	n := 0
	templates.Range(func(any, any) bool { n++; return true })
	t := buildTemplate(tb, opt, filepath.Join(templateRoot, fmt.Sprintf("template%d.db", n)))
	templates.Store(key, t)
	return t
}

// buildTemplate writes the org, three campaigns (1 over NORD, 2 over SUDX,
// 3 over the whole bank),
// an HR user with a token, a manager of NORD and one of SUDX, and signs
// HR and the NORD manager in.
func buildTemplate(tb testing.TB, opt fixtureOpts, path string) *fixtureTemplate {
	ctx := context.Background()
	clock := &testClock{t: startOfTests()}
	st, err := survey.Open(ctx, path, survey.Options{Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
		tb.Fatal(err)
	}
	rows, _ := survey.ParseOrgCSV(strings.NewReader(secOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		tb.Fatal(err)
	}
	for _, c := range []struct{ name, team string }{{"Vague Nord", "NORD"}, {"Vague Sud", "SUDX"}, {"Vague Banque", "B"}} {
		in := survey.CampaignInput{Name: c.name, QuestionnaireID: 1, TeamCodes: []string{c.team}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"}
		if _, err := st.CreateCampaign(ctx, in); err != nil {
			tb.Fatal(err)
		}
	}
	acc := auth.New(st)
	hr := mustUser(tb, acc, "hr@bank.example", auth.RoleHR)
	t := &fixtureTemplate{path: path}
	t.mgrID = mustUser(tb, acc, "nord@bank.example", auth.RoleManager, "NORD").ID
	t.otherMgrID = mustUser(tb, acc, "sud@bank.example", auth.RoleManager, "SUDX").ID
	if t.token, _, err = acc.CreateToken(ctx, hr, auth.TokenInput{Name: "tests"}); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{t: tb, st: st, acc: acc, clock: clock}
	f.app = api.New(api.Deps{Store: st, Accounts: acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		InsecureCookies: opt.insecure, TrustedProxies: opt.proxies})
	hrc, mgr := f.client(), f.client()
	hrc.login("hr@bank.example", testPassword)
	mgr.login("nord@bank.example", testPassword)
	t.hrJar, t.hrCSRF, t.mgrJar, t.mgrCSRF = hrc.jar, hrc.csrf, mgr.jar, mgr.csrf
	return t
}

func mustUser(tb testing.TB, acc *auth.Service, email, role string, teams ...string) *auth.User {
	tb.Helper()
	u, err := acc.CreateUser(context.Background(), auth.UserInput{Email: email, Role: role, TeamCodes: teams, Password: testPassword})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// client is a browser-like caller: it keeps cookies, says its requests are
// same-origin (Sec-Fetch-Site), and sends its CSRF token on unsafe calls.
type client struct {
	tb      testing.TB
	f       *fixture
	app     *fiber.App
	jar     map[string]string
	csrf    string
	bearer  string
	headers map[string]string
}

func (f *fixture) client() *client {
	return &client{tb: f.t, f: f, app: f.app, jar: map[string]string{}, headers: map[string]string{"Sec-Fetch-Site": "same-origin"}}
}

// do sends one request and returns the answer with its body read.
func (c *client) do(method, path, ctype, body string) (*http.Response, string) {
	c.tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for name, value := range c.jar {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.csrf != "" && method != "GET" && method != "HEAD" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.app.Test(req, -1)
	if err != nil {
		c.tb.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.jar, ck.Name)
		} else {
			c.jar[ck.Name] = ck.Value
		}
	}
	return resp, string(data)
}

// json sends a request and decodes a JSON answer into out.
func (c *client) json(method, path, body string, out any) *http.Response {
	c.tb.Helper()
	ctype := ""
	if body != "" {
		ctype = "application/json"
	}
	resp, data := c.do(method, path, ctype, body)
	if out != nil {
		if err := json.Unmarshal([]byte(data), out); err != nil {
			c.tb.Fatalf("%s %s: bad JSON %q", method, path, data)
		}
	}
	return resp
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formCSRF loads a page and returns the CSRF token of its form.
func (c *client) formCSRF(path string) string {
	c.tb.Helper()
	_, page := c.do("GET", path, "", "")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		c.tb.Fatalf("no CSRF field on %s: %s", path, page)
	}
	return m[1]
}

// postLogin submits the sign-in form as a browser would.
func (c *client) postLogin(email, password string) *http.Response {
	c.tb.Helper()
	token := c.formCSRF("/login")
	form := "_csrf=" + token + "&email=" + email + "&password=" + strings.ReplaceAll(password, " ", "+")
	resp, _ := c.do("POST", "/login", fiber.MIMEApplicationForm, form)
	return resp
}

// login signs in and fetches the CSRF token for API calls.
func (c *client) login(email, password string) {
	c.tb.Helper()
	if resp := c.postLogin(email, password); resp.StatusCode != fiber.StatusSeeOther {
		c.tb.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if resp := c.json("GET", "/api/v1/me", "", &me); resp.StatusCode != 200 || me.CSRF == "" {
		c.tb.Fatalf("GET /me after login: %d %+v", resp.StatusCode, me)
	}
	c.csrf = me.CSRF
}

func defaultDef() []byte { return survey.DefaultDefinitionYAML() }
