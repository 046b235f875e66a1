package api_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// htmlPages are every HTML answer: each GET page of the route table (as
// someone allowed to see it) and the error pages.
func htmlPages(t *testing.T, f *fixture) map[string]*http.Response {
	out := map[string]*http.Response{}
	for key, spec := range routeTable {
		method, _, _ := strings.Cut(key, " ")
		if method != "GET" || spec.json || spec.redirect || (spec.class != login && spec.class != signedIn && spec.class != hrPage) {
			continue
		}
		c := f.hr
		if spec.class == login {
			c = f.anon
		}
		c.headers["Accept"] = "text/html"
		resp, body := c.do("GET", spec.in, "", "")
		out[spec.in] = withBody(resp, body)
	}
	f.anon.headers["Accept"] = "text/html"
	resp, body := f.anon.do("GET", "/nowhere", "", "")
	out["404 page"] = withBody(resp, body)
	resp, body = f.anon.do("POST", "/login", formPost, "email=a@b.example")
	out["403 page"] = withBody(resp, body)
	return out
}

func withBody(resp *http.Response, body string) *http.Response {
	resp.Header.Set("X-Test-Body", strings.ReplaceAll(body, "\n", " "))
	return resp
}

var scriptNonce = regexp.MustCompile(`<script nonce="([^"]+)"`)

func TestSecurityHeaders_OnEveryHTMLResponse(t *testing.T) {
	f := newFixture(t)
	want := map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "no-referrer",
		"X-Frame-Options":            "DENY",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Cache-Control":              "no-store",
	}
	pages := htmlPages(t, f)
	if len(pages) < 4 {
		t.Fatalf("only %d HTML pages found", len(pages))
	}
	for name, resp := range pages {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q, want HTML", name, ct)
			continue
		}
		for h, v := range want {
			if got := resp.Header.Get(h); got != v {
				t.Errorf("%s: %s = %q, want %q", name, h, got, v)
			}
		}
		csp := resp.Header.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("%s: CSP %q lacks %q", name, csp, part)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe scripts: %q", name, csp)
		}
		m := scriptNonce.FindStringSubmatch(resp.Header.Get("X-Test-Body"))
		if m == nil || !strings.Contains(csp, "'nonce-"+html.UnescapeString(m[1])+"'") {
			t.Errorf("%s: the page's script nonce is not the CSP's", name)
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s: HSTS over plain http: %q", name, hsts)
		}
	}
}

func TestSecurityHeaders_NonceChangesEveryRequest(t *testing.T) {
	f := newFixture(t)
	a, _ := f.anon.do("GET", "/login", "", "")
	b, _ := f.anon.do("GET", "/login", "", "")
	if a.Header.Get("Content-Security-Policy") == b.Header.Get("Content-Security-Policy") {
		t.Error("two requests got the same CSP nonce")
	}
}

// TLS is detected with Fiber's c.Protocol(): the connection itself, or
// X-Forwarded-Proto from a trusted proxy only.
func TestSecurityHeaders_HSTSOnlyOverTLS(t *testing.T) {
	for _, tt := range []struct {
		name    string
		proxies []string
		want    bool
	}{
		{"from a trusted proxy", []string{"0.0.0.0"}, true},
		{"from anyone else", nil, false},
	} {
		f := newFixture(t, fixtureOpts{proxies: tt.proxies})
		f.anon.headers["X-Forwarded-Proto"] = "https"
		resp, _ := f.anon.do("GET", "/login", "", "")
		hsts := resp.Header.Get("Strict-Transport-Security")
		if got := strings.Contains(hsts, "max-age=31536000"); got != tt.want {
			t.Errorf("X-Forwarded-Proto: https %s: HSTS %q, want present=%v", tt.name, hsts, tt.want)
		}
	}
}
