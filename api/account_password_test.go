package api_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/auth"
)

const newPassword = "lighthouse keeper 1987"

func passwordForm(current, next string) string {
	return "current_password=" + url.QueryEscape(current) + "&new_password=" + url.QueryEscape(next)
}

func TestAccountPage_PasswordFormChangesItAndEndsOtherSessions(t *testing.T) {
	f := newFixture(t)
	other := f.client()
	other.login("nord@bank.example", testPassword)
	f.mgr.headers["Accept-Language"] = "fr"
	if _, page := f.mgr.do("GET", "/account", "", ""); !strings.Contains(page, `action="/account/password"`) {
		t.Fatalf("the account page has no password form: %s", page)
	}
	resp, page := f.mgr.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm("not it at all", newPassword))
	if resp.StatusCode != 422 || !strings.Contains(page, "Le mot de passe actuel est incorrect.") {
		t.Fatalf("wrong current password: %d, want 422 with the French message: %s", resp.StatusCode, page)
	}
	resp, page = f.mgr.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm(testPassword, "short"))
	if resp.StatusCode != 422 || !strings.Contains(page, "au moins 8 caractères") {
		t.Fatalf("short new password: %d, want 422 with the French rule: %s", resp.StatusCode, page)
	}
	resp, _ = f.mgr.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm(testPassword, newPassword))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/account?done=password" {
		t.Fatalf("change: %d %q, want a redirect to the account page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := f.mgr.do("GET", "/account?done=password", "", ""); !strings.Contains(page, "Votre mot de passe a été changé") {
		t.Errorf("this session ended or says nothing: %s", page)
	}
	if resp, _ := other.do("GET", "/account", "", ""); resp.StatusCode != 303 {
		t.Errorf("the other session still works: status %d", resp.StatusCode)
	}
	if resp := f.client().postLogin("nord@bank.example", newPassword); resp.StatusCode != 303 {
		t.Errorf("sign-in with the new password: %d", resp.StatusCode)
	}
}

func TestAccountPage_PasswordFormIsThrottledLikeSignIn(t *testing.T) {
	f := newFixture(t)
	for range auth.MaxFailures {
		f.mgr.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm("guess", newPassword))
	}
	resp, page := f.mgr.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm(testPassword, newPassword))
	if resp.StatusCode != 429 || !strings.Contains(page, "15 minutes") {
		t.Fatalf("after %d wrong guesses the right one: %d, want 429: %s", auth.MaxFailures, resp.StatusCode, page)
	}
}

func TestPages_EverySignedInPageHasSignOut(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		who  *client
		path string
	}{{f.hr, "/hr"}, {f.hr, "/hr/users"}, {f.hr, "/dashboard/"}, {f.mgr, "/dashboard/"}, {f.mgr, "/account"}} {
		_, page := c.who.do("GET", c.path, "", "")
		if !regexp.MustCompile(`class="account-menu"[\s\S]*action="/logout"`).MatchString(page) {
			t.Errorf("%s has no sign-out button in its header", c.path)
		}
	}
	if _, page := f.anon.do("GET", "/login", "", ""); strings.Contains(page, "account-menu") {
		t.Error("the sign-in page shows an account menu to an anonymous visitor")
	}
}

func TestTypedPassword_MustBeReplacedAtFirstSignIn(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.hr.do("POST", "/hr/users", fiber.MIMEApplicationForm, "email=lille%40bank.example&role=manager&team_codes=LILLE&password="+url.QueryEscape(testPassword))
	if resp.StatusCode != 303 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	m := f.client()
	m.login("lille@bank.example", testPassword)
	if resp, _ := m.do("GET", "/dashboard/", "", ""); resp.StatusCode != 303 || resp.Header.Get("Location") != "/account" {
		t.Errorf("dashboard before the change: %d %q, want a redirect to /account", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := m.do("GET", "/api/v1/campaigns", "", ""); resp.StatusCode != 403 {
		t.Errorf("API before the change: %d %s, want 403", resp.StatusCode, body)
	}
	if _, page := m.do("GET", "/account", "", ""); !strings.Contains(page, `id="must-change"`) {
		t.Errorf("the account page does not ask for a new password: %s", page)
	}
	if resp, _ := m.do("POST", "/account/password", fiber.MIMEApplicationForm, passwordForm(testPassword, newPassword)); resp.StatusCode != 303 {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if resp, _ := m.do("GET", "/dashboard/", "", ""); resp.StatusCode != 200 {
		t.Errorf("dashboard after the change: %d, want 200", resp.StatusCode)
	}
}

var linkPattern = regexp.MustCompile(`/set-password/([A-Za-z0-9_-]{20,})`)

func TestPasswordLink_SetsThePasswordOnceAndExpires(t *testing.T) {
	f := newFixture(t)
	path := "/hr/users/" + itoa(f.mgrID) + "/password-link"
	_, page := f.hr.do("POST", path, fiber.MIMEApplicationForm, "")
	m := linkPattern.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no link on the page: %s", page)
	}
	var stored int64
	f.st.DB().Raw("SELECT COUNT(*) FROM password_links WHERE token_hash = ?", m[1]).Scan(&stored)
	if stored != 0 {
		t.Error("the link's token is stored in clear")
	}
	a := f.client()
	a.headers["Accept-Language"] = "fr"
	if _, page := a.do("GET", m[0], "", ""); !strings.Contains(page, "nord@bank.example") {
		t.Fatalf("the link's page does not name the account: %s", page)
	}
	token := a.formCSRF(m[0])
	resp, page := a.do("POST", m[0], fiber.MIMEApplicationForm, "_csrf="+token+"&new_password=password")
	if resp.StatusCode != 422 || !strings.Contains(page, "mots de passe courants") {
		t.Fatalf("common password: %d, want 422 in French: %s", resp.StatusCode, page)
	}
	if resp, _ := a.do("POST", m[0], fiber.MIMEApplicationForm, "_csrf="+token+"&new_password="+url.QueryEscape(newPassword)); resp.StatusCode != 200 {
		t.Fatalf("set: %d", resp.StatusCode)
	}
	if resp, _ := f.mgr.do("GET", "/account", "", ""); resp.StatusCode != 303 {
		t.Errorf("the account's old session still works: %d", resp.StatusCode)
	}
	if resp := f.client().postLogin("nord@bank.example", newPassword); resp.StatusCode != 303 {
		t.Errorf("sign-in with the chosen password: %d", resp.StatusCode)
	}
	resp, page = a.do("POST", m[0], fiber.MIMEApplicationForm, "_csrf="+token+"&new_password="+url.QueryEscape(testPassword))
	if resp.StatusCode != 404 || !strings.Contains(page, "il a déjà servi") {
		t.Errorf("second use: %d, want 404 with the French refusal: %s", resp.StatusCode, page)
	}

	_, page = f.hr.do("POST", path, fiber.MIMEApplicationForm, "")
	later := linkPattern.FindStringSubmatch(page)
	f.clock.Advance(auth.PasswordLinkTTL + time.Minute)
	if resp, _ := a.do("GET", later[0], "", ""); resp.StatusCode != 404 {
		t.Errorf("expired link: %d, want 404", resp.StatusCode)
	}
}
