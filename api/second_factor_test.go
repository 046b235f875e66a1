package api_test

import (
	"io"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"digigap/api"
	"digigap/auth"
)

// withTOTPForHR rebuilds the app with the second factor required for HR.
func (f *fixture) withTOTPForHR() {
	f.app = api.New(api.Deps{Store: f.st, Accounts: f.acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RequireTOTPForHR: true})
	f.anon.app, f.hr.app, f.mgr.app = f.app, f.app, f.app
}

var (
	secretOnPage   = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
	recoveryOnPage = regexp.MustCompile(`<code>([a-z2-7]{5}-[a-z2-7]{5})</code>`)
)

// postCode sends the second step's form.
func (c *client) postCode(code string) (*http.Response, string) {
	c.tb.Helper()
	token := c.formCSRF("/login/second-factor")
	return c.do("POST", "/login/second-factor", "application/x-www-form-urlencoded", "_csrf="+token+"&code="+code)
}

// enrolAtSignIn signs HR in with the password, enrols at the forced
// second step, and returns the secret and the recovery codes shown.
func enrolAtSignIn(t *testing.T, f *fixture, c *client) (string, []string) {
	t.Helper()
	if resp := c.postLogin("hr@bank.example", testPassword); resp.StatusCode != 303 || resp.Header.Get("Location") != "/login/second-factor" {
		t.Fatalf("password step: %d %q, want the second step", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := c.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Fatalf("signed in after the password alone: /me status %d", resp.StatusCode)
	}
	_, page := c.do("GET", "/login/second-factor", "", "")
	m := secretOnPage.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("the enrolment page shows no QR code and key: %s", page)
	}
	if resp, _ := c.postCode("000000"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("enrolment with a wrong code: status %d, want 422", resp.StatusCode)
	}
	code, _ := totp.GenerateCode(m[1], f.clock.Now())
	resp, page := c.postCode(code)
	codes := recoveryOnPage.FindAllStringSubmatch(page, -1)
	if resp.StatusCode != 200 || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("enrolment: status %d with %d recovery codes: %s", resp.StatusCode, len(codes), page)
	}
	out := make([]string, len(codes))
	for i, m := range codes {
		out[i] = m[1]
	}
	return m[1], out
}

func TestTOTP_HREnrolsAtSignInThenNeedsACode(t *testing.T) {
	f := newFixture(t)
	f.withTOTPForHR()
	c := f.client()
	secret, _ := enrolAtSignIn(t, f, c)
	if resp := c.json("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Fatalf("after enrolment: /me status %d, want 200", resp.StatusCode)
	}
	// Next sign-in: password, then a code.
	f.clock.Advance(time.Minute)
	d := f.client()
	d.postLogin("hr@bank.example", testPassword)
	code, _ := totp.GenerateCode(secret, f.clock.Now())
	if resp, _ := d.postCode(code); resp.StatusCode != 303 || resp.Header.Get("Location") != "/hr" {
		t.Fatalf("the code: %d %q, want 303 to /hr", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A manager without TOTP signs in with the password only (optional for them).
	if resp := f.client().postLogin("nord@bank.example", testPassword); resp.Header.Get("Location") == "/login/second-factor" {
		t.Error("a manager without TOTP is asked for a code")
	}
}

func TestTOTP_WrongCodesAreThrottledAtSignIn(t *testing.T) {
	f := newFixture(t)
	f.withTOTPForHR()
	secret, _ := enrolAtSignIn(t, f, f.client())
	f.clock.Advance(time.Minute)
	attacker := f.client()
	attacker.postLogin("hr@bank.example", testPassword)
	for i := 0; i < auth.MaxFailures; i++ {
		if resp, _ := attacker.postCode("123456"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	// The password again does not reset the count; the right code is refused.
	attacker.postLogin("hr@bank.example", testPassword)
	code, _ := totp.GenerateCode(secret, f.clock.Now())
	if resp, page := attacker.postCode(code); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "Trop de codes incorrects") {
		t.Errorf("right code after %d wrong ones: status %d, want 429 with the message", auth.MaxFailures, resp.StatusCode)
	}
}

func TestTOTP_RecoveryCodeSignsInOnce(t *testing.T) {
	f := newFixture(t)
	f.withTOTPForHR()
	_, codes := enrolAtSignIn(t, f, f.client())
	c := f.client()
	c.postLogin("hr@bank.example", testPassword)
	if resp, _ := c.postCode(strings.ToUpper(codes[0])); resp.StatusCode != 303 {
		t.Fatalf("a recovery code: status %d, want 303", resp.StatusCode)
	}
	d := f.client()
	d.postLogin("hr@bank.example", testPassword)
	if resp, _ := d.postCode(codes[0]); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the same recovery code again: status %d, want 401", resp.StatusCode)
	}
}

func TestTOTP_ManagerEnrolsFromTheAccountPage(t *testing.T) {
	f := newFixture(t)
	f.withTOTPForHR()
	_, page := f.mgr.do("GET", "/account/second-factor", "", "")
	m := secretOnPage.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no key on the enrolment page: %s", page)
	}
	code, _ := totp.GenerateCode(m[1], f.clock.Now())
	resp, page := f.mgr.do("POST", "/account/second-factor", "application/x-www-form-urlencoded", "code="+code)
	if resp.StatusCode != 200 || len(recoveryOnPage.FindAllString(page, -1)) != auth.RecoveryCodeCount {
		t.Fatalf("enrolment: status %d: %s", resp.StatusCode, page)
	}
	f.clock.Advance(time.Minute)
	if resp := f.client().postLogin("nord@bank.example", testPassword); resp.Header.Get("Location") != "/login/second-factor" {
		t.Errorf("a manager with TOTP on: %q, want the second step", resp.Header.Get("Location"))
	}
}

// Session fixation: an id planted before the password step (here, the
// anonymous session the form came with) holds nothing of the half sign-in.
func TestTOTP_PasswordStepMovesToANewSessionID(t *testing.T) {
	f := newFixture(t)
	f.withTOTPForHR()
	c := f.client()
	c.formCSRF("/login")
	planted := maps.Clone(c.jar)
	if resp := c.postLogin("hr@bank.example", testPassword); resp.Header.Get("Location") != "/login/second-factor" {
		t.Fatalf("password step: %q", resp.Header.Get("Location"))
	}
	attacker := f.client()
	attacker.jar = planted
	resp, page := attacker.do("GET", "/login/second-factor", "", "")
	if resp.StatusCode != 303 || secretOnPage.MatchString(page) {
		t.Errorf("the planted session id: status %d, want 303 to /login and no enrolment key", resp.StatusCode)
	}
	if _, page := c.do("GET", "/login/second-factor", "", ""); !secretOnPage.MatchString(page) {
		t.Error("the signed-in browser lost its second step")
	}
}
