package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
)

// Chromium signs in through the provider's (auto-approving) authorization
// page: HR by the HR group, then, after HR signs out (at the provider too),
// a manager the org file provisioned, who lands on their own branch.
func TestBrowser_HRAndAnOrgFileManagerSignInThroughTheIdentityProvider(t *testing.T) {
	ctx := browser(t)
	mustDo(t, ctx, chromedp.EmulateViewport(1100, 900))
	st := surveytestStore(t)
	acc := auth.New(st)
	rows, err := survey.ParseOrgCSV(strings.NewReader(managersOrg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportOrgWith(context.Background(), rows, acc.OrgManagers()); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.CreateUser(context.Background(), auth.UserInput{Email: "rh@bank.example", Role: auth.RoleHR, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	p := startIdP(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := api.New(api.Deps{Store: st, InsecureCookies: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RequireTOTPForHR: true,
		OIDC: &api.OIDCConfig{Issuer: p.m.Issuer(), ClientID: p.m.ClientID, ClientSecret: p.m.ClientSecret,
			Scopes: []string{"email", "groups"}, HRGroups: []string{hrGroup},
			RedirectURL: base + "/login/oidc/callback", PostLogoutURL: base + "/login"}})
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	queue := func(email string, groups ...string) {
		p.m.QueueUser(&person{MockUser: &mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: true, Groups: groups}, now: st.Now})
	}

	queue("rh@bank.example", hrGroup)
	mustDo(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("sso")))
	screenshot(t, ctx, "sso-1-login")
	// The provider's own second factor applies: no TOTP step in digigap.
	mustDo(t, ctx, chromedp.Click(chromedp.ID("sso")), chromedp.WaitVisible(chromedp.CSS(".console-nav")))
	if loc := run(t, ctx, chromedp.Location()); loc != base+"/hr" {
		t.Errorf("HR landed on %q, want %s/hr", loc, base)
	}

	mustDo(t, ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	waitForPath(t, ctx, "/oidc/logout")
	if loc := run(t, ctx, chromedp.Location()); !strings.HasPrefix(loc, p.m.Issuer()+"/logout?client_id=") {
		t.Errorf("after sign-out the browser is at %q, want the provider's end_session_endpoint", loc)
	}

	queue("lea@bank.example")
	mustDo(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("sso")),
		chromedp.Click(chromedp.ID("sso")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if loc := run(t, ctx, chromedp.Location()); loc != base+"/dashboard/" {
		t.Errorf("the manager landed on %q, want %s/dashboard/", loc, base)
	}
	mustDo(t, ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "lea@bank.example") || !strings.Contains(got, "Agence Lille") {
		t.Errorf("the manager's account page: %q, want lea leading Agence Lille", got)
	}
	screenshot(t, ctx, "sso-2-manager-account")
}

// waitForPath waits until the tab is at path, across the redirects of a
// form's answer (a poll started before a navigation ends with it: poll again).
func waitForPath(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	for {
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`location.pathname === "`+path+`"`))
		if err == nil {
			return
		}
		if ctx.Err() != nil || !(strings.Contains(err.Error(), "navigated or closed") || strings.Contains(err.Error(), "Cannot find context")) {
			t.Fatalf("waiting for %s: %v", path, err)
		}
	}
}
