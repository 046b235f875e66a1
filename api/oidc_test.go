package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"digigap/api"
)

// managersOrg is secOrg with a manager_email column: lea leads LILLE.
const managersOrg = `code,parent_code,name,headcount,manager_email
B,,Banque,2,
NORD,B,Secteur Nord,1,
LILLE,NORD,Agence Lille,12,lea@bank.example
SUDX,B,Secteur Sudiste,1,
NIMESX,SUDX,Agence Nimoise,9,
`

type me struct {
	Email string `json:"email"`
	Role  string `json:"role"`
	Teams []struct {
		Code string `json:"code"`
	} `json:"teams"`
}

func TestSSO_HRSignsInWithTheHRGroupAndTheIDTokenIsNotKept(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	_, page := f.anon.do("GET", "/login", "", "")
	if !strings.Contains(page, `href="/login/oidc`) {
		t.Fatal("the sign-in page has no button for the identity provider")
	}
	c := f.client()
	p.queue(f, "HR@bank.example", true, []string{"staff", hrGroup}, nil)
	resp, _ := c.ssoSignIn()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/hr" {
		t.Fatalf("callback: status %d Location %q, want 303 to /hr", resp.StatusCode, resp.Header.Get("Location"))
	}
	var who me
	if resp := c.json("GET", "/api/v1/me", "", &who); resp.StatusCode != 200 || who.Role != "hr" {
		t.Fatalf("/me after SSO: %d %+v", resp.StatusCode, who)
	}
	var kept int64
	f.st.DB().Raw("SELECT COUNT(*) FROM sessions WHERE data LIKE ? OR data LIKE ?", "%eyJ%", "%oidc_state%").Scan(&kept)
	if kept != 0 {
		t.Errorf("%d sessions keep an ID token or the sign-in's state after sign-in", kept)
	}
	// The HR token made with the password before the switch no longer works.
	if resp := f.bearerClient().json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("API token after the switch to SSO: status %d, want 401", resp.StatusCode)
	}
}

func TestSSO_ManagerFromTheOrgFileSignsInAndSeesTheirBranch(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	f.importManagers(managersOrg)
	c := f.client()
	p.queue(f, "lea@bank.example", true, nil, nil)
	if resp, page := c.ssoSignIn(); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard/" {
		t.Fatalf("callback: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	var who me
	if c.json("GET", "/api/v1/me", "", &who); who.Role != "manager" || len(who.Teams) != 1 || who.Teams[0].Code != "LILLE" {
		t.Fatalf("/me = %+v, want the manager of LILLE", who)
	}
	// Moved to NIMESX by the next file: the next request sees only it.
	f.importManagers(strings.Replace(strings.Replace(managersOrg, "12,lea@bank.example", "12,", 1), "9,\n", "9,lea@bank.example\n", 1))
	c.json("GET", "/api/v1/me", "", &who)
	if len(who.Teams) != 1 || who.Teams[0].Code != "NIMESX" {
		t.Errorf("/me after the move = %+v, want NIMESX only", who)
	}
	if resp, _ := c.do("GET", "/api/v1/campaigns/1", "", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the old branch's campaign after the move: status %d, want 403", resp.StatusCode)
	}
}

func TestSSO_LogoutEndsTheSessionAndGoesToTheProvider(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	f.importManagers(managersOrg)
	c := f.client()
	p.queue(f, "lea@bank.example", true, nil, nil)
	c.ssoSignIn()
	token := c.formCSRF("/account")
	resp, _ := c.do("POST", "/logout", "application/x-www-form-urlencoded", "_csrf="+token)
	to, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || to.Path != "/oidc/logout" || to.Query().Get("client_id") != p.m.ClientID ||
		to.Query().Get("post_logout_redirect_uri") != "http://digigap.test/login" {
		t.Errorf("logout: %d %q, want a redirect to the provider's end_session_endpoint", resp.StatusCode, to)
	}
	if resp := c.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("after logout: status %d, want 401", resp.StatusCode)
	}
}

func TestSSO_LocalSignInOffRefusesPasswords(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p, func(d *api.Deps) { d.NoLocalSignIn = true })
	_, page := f.anon.do("GET", "/login", "", "")
	if strings.Contains(page, `name="password"`) {
		t.Error("the password form is shown while local sign-in is off")
	}
	// A browser with a valid CSRF token, so that only the switch refuses.
	resp, body := f.hr.do("POST", "/login", "application/x-www-form-urlencoded", "email=hr%40bank.example&password="+url.QueryEscape(testPassword))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "passwords are switched off") {
		t.Errorf("a password sign-in while local sign-in is off: status %d %s, want 403", resp.StatusCode, body)
	}
}

// Each refused case of the ID token and the flow, with its own test.

func TestSSORefused_WrongIssuer(t *testing.T) {
	refusedClaims(t, "token", func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://evil.example/oidc" })
}

func TestSSORefused_WrongAudience(t *testing.T) {
	refusedClaims(t, "token", func(c *mockoidc.IDTokenClaims) { c.Audience = []string{"another-client"} })
}

func TestSSORefused_ExpiredToken(t *testing.T) {
	refusedClaims(t, "token", func(c *mockoidc.IDTokenClaims) {
		c.IssuedAt.Time = c.IssuedAt.Add(-time.Hour)
		c.NotBefore.Time = c.IssuedAt.Time
		c.ExpiresAt.Time = c.IssuedAt.Add(10 * time.Minute)
	})
}

func TestSSORefused_WrongNonce(t *testing.T) {
	refusedClaims(t, "nonce", func(c *mockoidc.IDTokenClaims) { c.Nonce = "a-nonce-from-another-sign-in" })
}

func refusedClaims(t *testing.T, reason string, tamper func(*mockoidc.IDTokenClaims)) {
	t.Helper()
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{hrGroup}, tamper)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, reason)
}

func TestSSORefused_AlgNone(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	p.forge = forgeUnsigned
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{hrGroup}, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "token")
}

func TestSSORefused_HS256SignedWithThePublicKey(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	p.forge = forgeHS256(p.m.Keypair.PublicKey)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{hrGroup}, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "token")
}

func TestSSORefused_WrongState(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{hrGroup}, nil)
	back := c.ssoStart()
	q := back.Query()
	q.Set("state", "state-planted-by-an-attacker")
	back.RawQuery = q.Encode()
	resp, page := c.do("GET", back.RequestURI(), "", "")
	wantRefused(t, c, resp, page, "state")
	// A callback in another browser (login CSRF): no state in its session.
	other := f.client()
	resp, page = other.do("GET", c.ssoStart().RequestURI(), "", "")
	wantRefused(t, other, resp, page, "state")
}

func TestSSORefused_ReplayedCode(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{hrGroup}, nil)
	first := c.ssoStart()
	if resp, _ := c.do("GET", first.RequestURI(), "", ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use of the code: status %d", resp.StatusCode)
	}
	// The same callback again: its state was used up.
	resp, page := c.do("GET", first.RequestURI(), "", "")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, `data-reason="state"`) {
		t.Errorf("replayed callback: %d, want 403 state", resp.StatusCode)
	}
	// The old code with a fresh state of a new sign-in: the provider refuses it.
	attacker := f.client()
	fresh := attacker.ssoStart()
	q := fresh.Query()
	q.Set("code", first.Query().Get("code"))
	fresh.RawQuery = q.Encode()
	resp, page = attacker.do("GET", fresh.RequestURI(), "", "")
	wantRefused(t, attacker, resp, page, "code")
}

func TestSSORefused_UnverifiedEmail(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", false, []string{hrGroup}, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "unverified")
}

func TestSSORefused_UnknownPersonGetsNoAccount(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "newcomer@bank.example", true, []string{hrGroup}, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "unknown")
	if !strings.Contains(page, "Vous n&#39;avez pas de compte digigap") || strings.Contains(page, "code=") {
		t.Errorf("the refusal does not say why: %s", page)
	}
	var n int64
	f.st.DB().Raw("SELECT COUNT(*) FROM users WHERE email = ?", "newcomer@bank.example").Scan(&n)
	if n != 0 {
		t.Error("a sign-in created an account")
	}
}

func TestSSORefused_DisabledAccount(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	f.hr.json("POST", "/api/v1/users/"+itoa(f.mgrID)+"/disable", "", nil)
	c := f.client()
	p.queue(f, "nord@bank.example", true, nil, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "disabled")
}

func TestSSORefused_HRAccountWithoutTheHRGroup(t *testing.T) {
	f := newFixture(t)
	p := startIdP(t)
	f.withOIDC(p)
	c := f.client()
	p.queue(f, "hr@bank.example", true, []string{"staff"}, nil)
	resp, page := c.ssoSignIn()
	wantRefused(t, c, resp, page, "not_hr")
}
