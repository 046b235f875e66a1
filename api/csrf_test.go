package api_test

import (
	"testing"
)

const newToken = `{"name":"csrf probe"}`

func TestCSRF_CookieCallsNeedTheSessionsToken(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		token  string
		status int
	}{
		{"no token", "", 403},
		{"made-up token", "00000000-0000-4000-8000-000000000000", 403},
		{"another session's token", f.mgr.csrf, 403},
		{"own token", f.hr.csrf, 201},
	}
	for _, tt := range tests {
		f.hr.csrf = tt.token
		if got := f.hr.json("POST", "/api/v1/tokens", newToken, nil).StatusCode; got != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.status)
		}
	}
}

func TestCSRF_FormsNeedTheirToken(t *testing.T) {
	f := newFixture(t)
	token := f.hr.csrf
	f.hr.csrf = "" // the form below carries no token, and no header either
	if resp, _ := f.hr.do("POST", "/logout", formPost, ""); resp.StatusCode != 403 {
		t.Errorf("logout without token: status %d, want 403", resp.StatusCode)
	}
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Errorf("a refused logout signed out: status %d", resp.StatusCode)
	}
	if resp, _ := f.hr.do("POST", "/logout", formPost, "_csrf="+token); resp.StatusCode != 303 {
		t.Errorf("logout with the form's token: status %d, want 303", resp.StatusCode)
	}
}

func TestCSRF_BearerTokenCallsAreExempt(t *testing.T) {
	f := newFixture(t)
	// (Tokens themselves are made in a session only: see holes_test.go.)
	ref := `{"label":"Clients on the web site","source":"Bank 2025","value":70,"channel":"web_services"}`
	if got := f.bearerClient().json("POST", "/api/v1/reference-values", ref, nil).StatusCode; got != 201 {
		t.Errorf("bearer call without CSRF token: status %d, want 201", got)
	}
}

func TestOrigin_CrossSiteRequestsAreRefused(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"Sec-Fetch-Site same-site (a sibling host)", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}, 403},
		{"foreign Referer", map[string]string{"Referer": "https://evil.example/page"}, 403},
		{"own Origin", map[string]string{"Origin": "http://example.com"}, 201},
		{"no browser header (a script with a cookie)", map[string]string{}, 201},
	}
	for _, tt := range tests {
		f.hr.headers = tt.headers
		if got := f.hr.json("POST", "/api/v1/tokens", newToken, nil).StatusCode; got != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.status)
		}
	}
}

// Over HTTPS our no-referrer pages post with "Origin: null" and no Referer:
// Sec-Fetch-Site proves the origin; without any proof the call is refused.
func TestOrigin_HTTPSNeedsProofOfOrigin(t *testing.T) {
	f := newFixture(t, fixtureOpts{proxies: []string{"0.0.0.0"}})
	https := map[string]string{"X-Forwarded-Proto": "https"}
	for _, tt := range []struct {
		name   string
		extra  map[string]string
		status int
	}{
		{"browser form", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "null"}, 201},
		{"no proof", map[string]string{"Origin": "null"}, 403},
	} {
		f.hr.headers = map[string]string{}
		for k, v := range https {
			f.hr.headers[k] = v
		}
		for k, v := range tt.extra {
			f.hr.headers[k] = v
		}
		if got := f.hr.json("POST", "/api/v1/tokens", newToken, nil).StatusCode; got != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.status)
		}
	}
}
