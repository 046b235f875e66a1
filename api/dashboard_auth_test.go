package api_test

import (
	"context"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"digigap/auth"
	"digigap/survey"
)

// dashboardHR holds, per store, the HR account the dashboard tests read as.
var dashboardHR sync.Map // *survey.Store → *auth.User

const dashboardHREmail = "dash.hr@bank.example"

// hrUserOf creates (once per store) the HR account the dashboard tests use.
func hrUserOf(tb testing.TB, st *survey.Store) *auth.User {
	tb.Helper()
	if u, ok := dashboardHR.Load(st); ok {
		return u.(*auth.User)
	}
	u, err := auth.New(st).CreateUser(context.Background(), auth.UserInput{Email: dashboardHREmail, Role: auth.RoleHR, Password: testPassword})
	if err != nil {
		tb.Fatal(err)
	}
	dashboardHR.Store(st, u)
	return u
}

// hrBearer returns an HR API token for st; pages accept it like a session.
func hrBearer(tb testing.TB, st *survey.Store) string {
	tb.Helper()
	secret, _, err := auth.New(st).CreateToken(context.Background(), hrUserOf(tb, st), auth.TokenInput{Name: "dashboard tests"})
	if err != nil {
		tb.Fatal(err)
	}
	return secret
}

// signInBrowser opens an HR session and gives its cookie to the browser,
// as the login page would.
func signInBrowser(t *testing.T, ctx context.Context, st *survey.Store) {
	t.Helper()
	hrUserOf(t, st)
	id, _, err := auth.New(st).Login(context.Background(), dashboardHREmail, testPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	httpOnly := true
	_, err = chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "digigap_session", Value: id, Domain: "127.0.0.1", Path: "/", HTTPOnly: &httpOnly})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}
