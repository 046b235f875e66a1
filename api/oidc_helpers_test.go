package api_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"digigap/api"
	"digigap/survey"
)

// hrGroup is the provider's group that makes an HR account's person HR.
const hrGroup = "digigap-hr"

// person is someone at the test provider: a mockoidc user whose ID token
// is dated by the test clock, and which a test may tamper with (issuer,
// audience, expiry, nonce) to play a broken or hostile provider.
type person struct {
	*mockoidc.MockUser
	now    func() time.Time
	tamper func(c *mockoidc.IDTokenClaims)
}

func (p *person) Claims(scope []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	now := p.now()
	base.IssuedAt, base.NotBefore = jwt.NewNumericDate(now), jwt.NewNumericDate(now)
	base.ExpiresAt = jwt.NewNumericDate(now.Add(5 * time.Minute))
	if p.tamper != nil {
		p.tamper(base)
	}
	return p.MockUser.Claims(scope, base)
}

// idp is a real OpenID Provider (mockoidc: discovery, JWKS, an
// auto-approving authorization endpoint, a token endpoint that checks the
// client secret, PKCE and single use of codes) running in the test.
type idp struct {
	m *mockoidc.MockOIDC
	// forge, when set, replaces the ID token the token endpoint returns.
	forge func(idToken string) string
}

// startIdP runs a provider that also announces an end_session_endpoint.
func startIdP(t *testing.T) *idp {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{m: m}
	m.AddMiddleware(p.rewrite)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// rewrite adds end_session_endpoint to the discovery document and lets a
// test forge the ID token of a token response.
func (p *idp) rewrite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		discovery := strings.HasSuffix(r.URL.Path, "openid-configuration")
		token := strings.HasSuffix(r.URL.Path, mockoidc.TokenEndpoint)
		if !discovery && !(token && p.forge != nil) {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var doc map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		if discovery {
			doc["end_session_endpoint"] = p.m.Issuer() + "/logout"
		} else if s, ok := doc["id_token"].(string); ok {
			doc["id_token"] = p.forge(s)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	})
}

// queue makes the next sign-in at the provider be this person.
func (p *idp) queue(f *fixture, email string, verified bool, groups []string, tamper func(*mockoidc.IDTokenClaims)) {
	p.m.QueueUser(&person{MockUser: &mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: verified,
		Groups: groups}, now: f.clock.Now, tamper: tamper})
}

// withOIDC rebuilds the fixture's app with sign-in through p; sessions
// made before stay valid (same database).
func (f *fixture) withOIDC(p *idp, mod ...func(*api.Deps)) {
	d := api.Deps{Store: f.st, Accounts: f.acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OIDC: &api.OIDCConfig{Issuer: p.m.Issuer(), ClientID: p.m.ClientID, ClientSecret: p.m.ClientSecret,
			Scopes: []string{"email", "groups"}, HRGroups: []string{hrGroup},
			RedirectURL: "http://digigap.test/login/oidc/callback", PostLogoutURL: "http://digigap.test/login"}}
	for _, m := range mod {
		m(&d)
	}
	f.app = api.New(d)
	f.anon.app, f.hr.app, f.mgr.app = f.app, f.app, f.app
}

// noRedirects is a browser that stops at each redirect, so the test sees
// the provider's answer to digigap.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// ssoStart asks digigap for a sign-in and follows it through the
// provider's (auto-approving) page; it returns the callback URL the
// provider sends the browser back to.
func (c *client) ssoStart() *url.URL {
	c.tb.Helper()
	resp, _ := c.do("GET", "/login/oidc", "", "")
	if resp.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("GET /login/oidc: status %d, want a redirect to the provider", resp.StatusCode)
	}
	at, err := noRedirects.Get(resp.Header.Get("Location"))
	if err != nil {
		c.tb.Fatal(err)
	}
	at.Body.Close()
	back, err := url.Parse(at.Header.Get("Location"))
	if err != nil || back.Path != "/login/oidc/callback" {
		c.tb.Fatalf("the provider answered %d %q, want a redirect to the callback", at.StatusCode, at.Header.Get("Location"))
	}
	return back
}

// ssoSignIn runs a whole sign-in and returns digigap's answer to the callback.
func (c *client) ssoSignIn() (*http.Response, string) {
	c.tb.Helper()
	return c.do("GET", c.ssoStart().RequestURI(), "", "")
}

// wantRefused checks a refusal page with its reason, and that the browser
// is not signed in afterwards.
func wantRefused(t *testing.T, c *client, resp *http.Response, page, reason string) {
	t.Helper()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, `data-reason="`+reason+`"`) {
		t.Errorf("status %d, want 403 with reason %q: %s", resp.StatusCode, reason, page)
	}
	if resp := c.json("GET", "/api/v1/me", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after a refused sign-in: /me status %d, want 401", resp.StatusCode)
	}
}

// forgeUnsigned re-issues an ID token's claims with alg none.
func forgeUnsigned(idToken string) string {
	parts := strings.Split(idToken, ".")
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	return head + "." + parts[1] + "."
}

// forgeHS256 re-signs an ID token's claims with HS256, keyed by the
// provider's PUBLIC key (the algorithm-confusion attack).
func forgeHS256(pub any) func(string) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	key := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return func(idToken string) string {
		parts := strings.Split(idToken, ".")
		head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(head + "." + parts[1]))
		return head + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
}

// importManagers applies an org file with a manager_email column as HR.
func (f *fixture) importManagers(csv string) *survey.OrgPlan {
	f.t.Helper()
	rows, err := survey.ParseOrgCSV(bytes.NewReader([]byte(csv)))
	if err != nil {
		f.t.Fatal(err)
	}
	plan, err := f.st.ImportOrgWith(context.Background(), rows, f.acc.OrgManagers())
	if err != nil {
		f.t.Fatal(err)
	}
	return plan
}
