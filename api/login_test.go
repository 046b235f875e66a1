package api_test

import (
	"strings"
	"testing"
)

func TestLogin_GoodPasswordOpensSessionUnderNewID(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	token := c.formCSRF("/login")
	before := c.jar["__Host-digigap_session"]
	if before == "" {
		t.Fatal("the sign-in page set no session cookie for its CSRF token")
	}
	resp, _ := c.do("POST", "/login", "application/x-www-form-urlencoded", "_csrf="+token+"&email=NORD@bank.example&password="+strings.ReplaceAll(testPassword, " ", "+")+"&next=/account")
	if got, want := resp.StatusCode, 303; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := resp.Header.Get("Location"), "/account"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	after := c.jar["__Host-digigap_session"]
	if after == "" || after == before {
		t.Fatalf("session id after login = %q, before %q: want a new one", after, before)
	}
	if _, err := f.acc.Authenticate(t.Context(), before); err == nil {
		t.Error("the pre-login session id signs in")
	}
	if data, _ := f.acc.SessionStorage().Get(before); data != nil {
		t.Error("the pre-login session was not ended at sign-in")
	}
	if resp, page := c.do("GET", "/account", "", ""); resp.StatusCode != 200 || !strings.Contains(page, "nord@bank.example") {
		t.Errorf("account page: %d %s", resp.StatusCode, page)
	}
}
