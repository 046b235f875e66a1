package api_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"digigap/api"
	"digigap/survey/surveytest"
)

// A 1-day HR token once minted a 365-day one: a bearer caller may not
// mint tokens at all; a person signs in to make each.
func TestTokens_BearerCannotMintAnotherToken(t *testing.T) {
	f := newFixture(t)
	var made struct {
		Token string `json:"token"`
	}
	if resp := f.hr.json("POST", "/api/v1/tokens", `{"name":"one day","expires_in_days":1}`, &made); resp.StatusCode != 201 {
		t.Fatalf("HR session makes a token: status %d", resp.StatusCode)
	}
	bearer := f.bearerClient()
	bearer.bearer = made.Token
	resp, body := bearer.do("POST", "/api/v1/tokens", "application/json", `{"name":"forever","expires_in_days":365}`)
	if resp.StatusCode != 403 || !strings.Contains(body, "forbidden") {
		t.Errorf("a 1-day token mints a 365-day one: status %d %s, want 403", resp.StatusCode, body)
	}
	var list struct {
		Tokens []struct{ Name string } `json:"tokens"`
	}
	f.hr.json("GET", "/api/v1/tokens", "", &list)
	for _, tk := range list.Tokens {
		if tk.Name == "forever" {
			t.Error("the refused token exists")
		}
	}
}

// Changing one's password ends the account's API tokens and other sessions.
func TestPasswordChange_EndsTokensAndOtherSessions(t *testing.T) {
	f := newFixture(t)
	other := f.client()
	other.login("hr@bank.example", testPassword)
	body := `{"current_password":"` + testPassword + `","new_password":"a completely new passphrase"}`
	if resp := f.hr.json("PUT", "/api/v1/me/password", body, nil); resp.StatusCode != 200 {
		t.Fatalf("change: status %d", resp.StatusCode)
	}
	if resp := f.bearerClient().json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("API token after the change: status %d, want 401", resp.StatusCode)
	}
	if resp := other.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("other session after the change: status %d, want 401", resp.StatusCode)
	}
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Errorf("the session that changed it: status %d, want 200", resp.StatusCode)
	}
}

// Behind a reverse proxy on the same host, the TCP peer is the proxy: the
// allow-list must see the client's address resolved through the trusted
// proxies, and an address the client puts left in X-Forwarded-For counts
// for nothing. app.Test's peer is 0.0.0.0, which plays the proxy here.
func TestMetrics_BehindATrustedProxyChecksTheClientAddress(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	allowed, _ := api.ParseNetworks("0.0.0.0,192.0.2.50")
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MetricsAllowed: allowed, TrustedProxies: []string{"0.0.0.0"}})
	for _, tt := range []struct {
		name, forwarded string
		status          int
	}{
		{"anyone through the proxy", "203.0.113.7", 401},
		{"a spoofed allowed address on the left", "192.0.2.50, 203.0.113.7", 401},
		{"the allowed scraper through the proxy", "192.0.2.50", 200},
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Header.Set("X-Forwarded-For", tt.forwarded)
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}
}
