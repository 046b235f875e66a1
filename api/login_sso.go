package api

import (
	"crypto/subtle"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"digigap/auth"
	"digigap/survey"
)

// ssoHandler signs staff in through the company's identity provider:
// authorization code flow with PKCE, state and nonce kept in the
// pre-login server session and used once; the ID token is verified, read
// and dropped (digigap keeps its own session, never the provider's tokens).
type ssoHandler struct{ sec *security }

func (h *ssoHandler) register(r *routes) {
	r.Login.Get("/login/oidc", h.start)
	r.Login.Get("/login/oidc/callback", h.callback)
}

// Keys of the pre-login session.
const (
	ssoState    = "oidc_state"
	ssoNonce    = "oidc_nonce"
	ssoVerifier = "oidc_verifier"
	ssoNext     = "oidc_next"
	ssoAt       = "oidc_at"
	// ssoMaxAge bounds the time spent at the provider's page.
	ssoMaxAge = 10 * time.Minute
)

// start sends the browser to the provider with a fresh state, nonce and
// PKCE challenge; their secrets stay in the server session.
func (h *ssoHandler) start(c *fiber.Ctx) error {
	rp := h.sec.rp
	if rp == nil {
		return survey.Errorf(survey.ENOTFOUND, "sign-in with the identity provider is not configured")
	}
	p, _, err := rp.discover(c.UserContext())
	if err != nil {
		return h.refuse(c, "unreachable", err)
	}
	sess, err := h.sec.sessions.Get(c)
	if err != nil {
		return err
	}
	state, nonce, verifier := auth.NewSessionID(), auth.NewSessionID(), oauth2.GenerateVerifier()
	sess.Set(ssoState, state)
	sess.Set(ssoNonce, nonce)
	sess.Set(ssoVerifier, verifier)
	sess.Set(ssoNext, safeNext(c.Query("next")))
	sess.Set(ssoAt, h.sec.accounts.Now().Unix())
	if err := sess.Save(); err != nil {
		return err
	}
	return c.Redirect(rp.oauth2(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), fiber.StatusSeeOther)
}

// flow is what start left in the session, taken out for good.
type flow struct {
	state, nonce, verifier, next string
	at                           int64
}

func (h *ssoHandler) takeFlow(c *fiber.Ctx) (flow, error) {
	sess, err := h.sec.sessions.Get(c)
	if err != nil {
		return flow{}, err
	}
	var f flow
	f.state, _ = sess.Get(ssoState).(string)
	f.nonce, _ = sess.Get(ssoNonce).(string)
	f.verifier, _ = sess.Get(ssoVerifier).(string)
	f.next, _ = sess.Get(ssoNext).(string)
	f.at, _ = sess.Get(ssoAt).(int64)
	for _, k := range []string{ssoState, ssoNonce, ssoVerifier, ssoNext, ssoAt} {
		sess.Delete(k)
	}
	return f, sess.Save()
}

func same(a, b string) bool { return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// callback checks, in order: the state (this browser started this
// sign-in, not long ago), the provider's answer, the code exchange (with
// the PKCE verifier; a code works once at the provider), the ID token
// (signature by the provider's keys and announced algorithms, issuer,
// audience, expiry), the nonce, a verified e-mail, then the account.
func (h *ssoHandler) callback(c *fiber.Ctx) error {
	rp := h.sec.rp
	if rp == nil {
		return survey.Errorf(survey.ENOTFOUND, "sign-in with the identity provider is not configured")
	}
	f, err := h.takeFlow(c)
	switch {
	case err != nil:
		return err
	case !same(c.Query("state"), f.state):
		return h.refuse(c, "state", nil)
	case h.sec.accounts.Now().Unix()-f.at > int64(ssoMaxAge.Seconds()):
		return h.refuse(c, "expired", nil)
	case c.Query("error") != "":
		return h.refuse(c, "provider", nil)
	}
	ctx := rp.ctx(c.UserContext())
	p, verifier, err := rp.discover(ctx)
	if err != nil {
		return h.refuse(c, "unreachable", err)
	}
	tok, err := rp.oauth2(p).Exchange(ctx, strings.Clone(c.Query("code")), oauth2.VerifierOption(f.verifier))
	if err != nil {
		return h.refuse(c, "code", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return h.refuse(c, "token", err)
	}
	if !same(idt.Nonce, f.nonce) {
		return h.refuse(c, "nonce", nil)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return h.refuse(c, "token", err)
	}
	id, reason := rp.identity(claims)
	if reason != "" {
		return h.refuse(c, reason, nil)
	}
	return h.signIn(c, id, f.next)
}

// identity reads the e-mail and the HR groups from verified claims.
func (rp *relyingParty) identity(claims map[string]any) (auth.SSOIdentity, string) {
	email, _ := claims[rp.cfg.EmailClaim].(string)
	if email == "" {
		return auth.SSOIdentity{}, "no_email"
	}
	if rp.cfg.EmailClaim == "email" {
		v := claims["email_verified"]
		if v != true && v != "true" {
			return auth.SSOIdentity{}, "unverified"
		}
	}
	id := auth.SSOIdentity{Email: email, HRGroupsChecked: len(rp.cfg.HRGroups) > 0}
	groups, _ := claims[rp.cfg.GroupsClaim].([]any)
	if one, ok := claims[rp.cfg.GroupsClaim].(string); ok {
		groups = []any{one} // a provider that sends a single group as a string
	}
	for _, g := range groups {
		if s, ok := g.(string); ok && slices.Contains(rp.cfg.HRGroups, s) {
			id.InHRGroup = true
		}
	}
	return id, ""
}

func (h *ssoHandler) signIn(c *fiber.Ctx, id auth.SSOIdentity, next string) error {
	sid, u, err := h.sec.accounts.SSOSignIn(c.UserContext(), id)
	switch err {
	case nil:
	case auth.ErrSSOUnknown:
		return h.refuse(c, "unknown", nil)
	case auth.ErrSSODisabled:
		return h.refuse(c, "disabled", nil)
	case auth.ErrSSONotHR:
		return h.refuse(c, "not_hr", nil)
	default:
		return err
	}
	if old := c.Cookies(h.sec.cookies.session); old != "" {
		if err := h.sec.accounts.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	h.sec.setSessionCookie(c, sid)
	if next == "" || next == "/account" {
		next = homeOf(u)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// refuse shows why the sign-in failed, in the reader's language, with a
// way back; the log gets the reason (never the person or the token).
func (h *ssoHandler) refuse(c *fiber.Ctx, reason string, err error) error {
	attrs := []any{"reason", reason}
	if err != nil {
		attrs = append(attrs, "error", err.Error())
	}
	h.sec.log.Warn("single sign-on refused", attrs...)
	status := fiber.StatusForbidden
	if reason == "unreachable" {
		status = fiber.StatusBadGateway
	}
	// The page's language links point to /login, never back to a URL
	// that holds the provider's code and the state.
	lang := langOf(c)
	c.Request().URI().SetQueryString("")
	c.Path("/login")
	return render(c, status, "login_refused", translate(lang, "sso.refused.title"), fiber.Map{
		"Reason": translate(lang, "sso.refused."+reason), "Code": reason,
	})
}

func urlEscape(s string) string { return url.QueryEscape(s) }
