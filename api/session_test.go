package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"digigap/auth"
)

func TestSession_CookieAttributes(t *testing.T) {
	for _, tt := range []struct {
		insecure bool
		name     string
		secure   bool
	}{{false, "__Host-digigap_session", true}, {true, "digigap_session", false}} {
		f := newFixture(t, fixtureOpts{insecure: tt.insecure})
		c := f.client()
		resp := c.postLogin("hr@bank.example", testPassword)
		var got *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == tt.name {
				got = ck
			}
		}
		if got == nil {
			t.Fatalf("insecure=%v: no %s cookie in %v", tt.insecure, tt.name, resp.Header["Set-Cookie"])
		}
		if got.Secure != tt.secure || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Path != "/" || got.Domain != "" {
			t.Errorf("insecure=%v: cookie %+v, want Secure=%v HttpOnly SameSite=Lax Path=/ no Domain", tt.insecure, got, tt.secure)
		}
		if got.MaxAge != 0 || !got.Expires.IsZero() {
			t.Errorf("cookie outlives the browser session: %+v", got)
		}
	}
}

func TestSession_StoredOnlyAsHash(t *testing.T) {
	f := newFixture(t)
	id := f.hr.jar["__Host-digigap_session"]
	var n int64
	f.st.DB().Raw("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", id).Scan(&n)
	if n != 0 {
		t.Error("the sessions table holds the raw session id")
	}
}

func TestSession_LogoutEndsItAtOnce(t *testing.T) {
	f := newFixture(t)
	id := f.hr.jar["__Host-digigap_session"]
	token := f.hr.formCSRF("/account")
	resp, _ := f.hr.do("POST", "/logout", formPost, "_csrf="+token)
	if resp.StatusCode != 303 {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	replay := f.client()
	replay.jar["__Host-digigap_session"] = id
	if resp := replay.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("the old session id still works after logout: status %d", resp.StatusCode)
	}
}

func TestSession_DisablingAUserEndsTheirSessionAtOnce(t *testing.T) {
	f := newFixture(t)
	if resp := f.mgr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Fatalf("manager: status %d", resp.StatusCode)
	}
	if resp := f.hr.json("POST", fmt.Sprintf("/api/v1/users/%d/disable", f.mgrID), "", nil); resp.StatusCode != 200 {
		t.Fatalf("disable: status %d", resp.StatusCode)
	}
	if resp := f.mgr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("disabled manager: status %d, want 401", resp.StatusCode)
	}
	if resp := f.client().postLogin("nord@bank.example", testPassword); resp.StatusCode != 401 {
		t.Errorf("disabled manager signs in again: status %d, want 401", resp.StatusCode)
	}
}

func TestSession_IdleTimeout(t *testing.T) {
	f := newFixture(t)
	f.clock.Advance(auth.IdleTimeout - time.Minute)
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Fatalf("after 29 idle minutes: status %d, want 200", resp.StatusCode)
	}
	f.clock.Advance(auth.IdleTimeout - time.Minute) // used a minute ago at 29: still within 30
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Fatalf("use renews the idle timeout: status %d, want 200", resp.StatusCode)
	}
	f.clock.Advance(auth.IdleTimeout + time.Second)
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("after 30 idle minutes: status %d, want 401", resp.StatusCode)
	}
	if resp, _ := f.hr.do("GET", "/account", "", ""); resp.StatusCode != 303 {
		t.Errorf("page after timeout: status %d, want a redirect to sign in", resp.StatusCode)
	}
}

func TestSession_AbsoluteTimeout(t *testing.T) {
	f := newFixture(t)
	for elapsed := time.Duration(0); elapsed < auth.AbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
		f.clock.Advance(20 * time.Minute)
		if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
			t.Fatalf("active session after %v: status %d, want 200", elapsed, resp.StatusCode)
		}
	}
	f.clock.Advance(20*time.Minute + time.Second)
	if resp := f.hr.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Errorf("after 12 hours of use: status %d, want 401", resp.StatusCode)
	}
}

func TestLogin_ThrottlesTheAccountAndAddressPairOnly(t *testing.T) {
	f := newFixture(t, fixtureOpts{proxies: []string{"0.0.0.0"}}) // app.Test's peer is 0.0.0.0
	from := func(addr string) *client {
		c := f.client()
		c.headers["X-Forwarded-For"] = addr
		return c
	}
	attacker := from("203.0.113.7")
	for i := 0; i < auth.MaxFailures; i++ {
		if resp := attacker.postLogin("hr@bank.example", "wrong password "+fmt.Sprint(i)); resp.StatusCode != 401 {
			t.Fatalf("failure %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp := attacker.postLogin("hr@bank.example", testPassword); resp.StatusCode != 429 {
		t.Errorf("11th attempt, right password, same address: status %d, want 429", resp.StatusCode)
	}
	if resp := from("198.51.100.9").postLogin("hr@bank.example", testPassword); resp.StatusCode != 303 {
		t.Errorf("the real user from elsewhere: status %d, want 303 (signed in)", resp.StatusCode)
	}
	if resp := from("203.0.113.7").postLogin("nord@bank.example", testPassword); resp.StatusCode != 303 {
		t.Errorf("another account from the attacker's address: status %d, want 303", resp.StatusCode)
	}
	f.clock.Advance(auth.ThrottleWindow + time.Second)
	if resp := attacker.postLogin("hr@bank.example", testPassword); resp.StatusCode != 303 {
		t.Errorf("after 15 minutes: status %d, want 303", resp.StatusCode)
	}
}

// The client address is the right-most X-Forwarded-For entry that is not a
// trusted proxy: entries to its left are whatever the client sent.
func TestLogin_ClientAddressIsRightmostUntrustedHop(t *testing.T) {
	f := newFixture(t, fixtureOpts{proxies: []string{"0.0.0.0", "10.0.0.2"}})
	from := func(chain string) *client {
		c := f.client()
		c.headers["X-Forwarded-For"] = chain
		return c
	}
	for i := 0; i < auth.MaxFailures; i++ {
		// The attacker invents a new left-most address each time; the proxies append theirs.
		from(fmt.Sprintf("192.0.2.%d, 203.0.113.7, 10.0.0.2", i+1)).postLogin("hr@bank.example", "wrong password")
	}
	if resp := from("192.0.2.99, 203.0.113.7, 10.0.0.2").postLogin("hr@bank.example", testPassword); resp.StatusCode != 429 {
		t.Errorf("attacker after 10 failures: status %d, want 429", resp.StatusCode)
	}
	if resp := from("198.51.100.9, 10.0.0.2").postLogin("hr@bank.example", testPassword); resp.StatusCode != 303 {
		t.Errorf("real user behind the same proxy: status %d, want 303", resp.StatusCode)
	}
}

func TestLogin_ForwardedForIgnoredFromUntrustedPeer(t *testing.T) {
	f := newFixture(t) // no trusted proxy
	for i := 0; i < auth.MaxFailures; i++ {
		c := f.client()
		c.headers["X-Forwarded-For"] = fmt.Sprintf("192.0.2.%d", i+1) // a new made-up address each time
		c.postLogin("hr@bank.example", "wrong password")
	}
	if resp := f.client().postLogin("hr@bank.example", testPassword); resp.StatusCode != 429 {
		t.Errorf("spoofed X-Forwarded-For escaped throttling: status %d, want 429", resp.StatusCode)
	}
}

func TestLogin_FormShowsMessagesNextToFieldsInBothLanguages(t *testing.T) {
	f := newFixture(t)
	for lang, want := range map[string][2]string{
		"fr": {"Saisissez votre adresse e-mail.", "L&#39;adresse e-mail ou le mot de passe est incorrect."},
		"en": {"Enter your e-mail address.", "The e-mail address or the password is wrong."},
	} {
		c := f.client()
		c.headers["Accept-Language"] = lang
		token := c.formCSRF("/login")
		resp, page := c.do("POST", "/login", formPost, "_csrf="+token+"&email=&password=x")
		if resp.StatusCode != 422 || !strings.Contains(page, `id="email-error">`+want[0]) || !strings.Contains(page, `aria-describedby="email-error"`) {
			t.Errorf("%s: empty e-mail: status %d, page lacks %q next to the field", lang, resp.StatusCode, want[0])
		}
		resp, page = c.do("POST", "/login", formPost, "_csrf="+token+"&email=hr@bank.example&password=nope")
		if resp.StatusCode != 401 || !strings.Contains(page, `id="password-error">`+want[1]) {
			t.Errorf("%s: wrong password: status %d, page lacks %q", lang, resp.StatusCode, want[1])
		}
		if strings.Contains(page, "nope") {
			t.Errorf("%s: the page shows the password back", lang)
		}
	}
}

func TestLogin_NextIsOnlyALocalPath(t *testing.T) {
	f := newFixture(t)
	// HR lands on the console when next is refused; a manager on /account.
	for next, want := range map[string]string{"/api/v1/me": "/api/v1/me", "https://evil.example/": "/hr", "//evil.example": "/hr", "/\\evil.example": "/hr"} {
		c := f.client()
		token := c.formCSRF("/login")
		resp, _ := c.do("POST", "/login", formPost, "_csrf="+token+"&email=hr@bank.example&password="+strings.ReplaceAll(testPassword, " ", "+")+"&next="+next)
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}
}

func TestChangePassword_WrongCurrentPasswordIsThrottled(t *testing.T) {
	f := newFixture(t)
	body := func(current string) string {
		return `{"current_password":"` + current + `","new_password":"another long passphrase"}`
	}
	for i := 0; i < auth.MaxFailures; i++ {
		if resp, _ := f.hr.do("PUT", "/api/v1/me/password", "application/json", body(fmt.Sprint("wrong ", i))); resp.StatusCode != 422 {
			t.Fatalf("failure %d: status %d, want 422", i+1, resp.StatusCode)
		}
	}
	if resp, _ := f.hr.do("PUT", "/api/v1/me/password", "application/json", body(testPassword)); resp.StatusCode != 429 {
		t.Errorf("after %d wrong guesses, the right password: status %d, want 429", auth.MaxFailures, resp.StatusCode)
	}
}
