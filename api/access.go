package api

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// Locals keys set by identify.
const (
	scopeKey    = "scope"
	userKey     = "user"
	viaTokenKey = "via-token"
)

// callerScope is the one place handlers learn what the caller may see;
// a request without a signed-in user sees nothing.
func callerScope(c *fiber.Ctx) survey.Scope {
	if s, ok := c.Locals(scopeKey).(survey.Scope); ok {
		return s
	}
	return survey.Scope{}
}

// callerUser is the signed-in user, or nil.
func callerUser(c *fiber.Ctx) *auth.User {
	u, _ := c.Locals(userKey).(*auth.User)
	return u
}

// viaToken reports whether the caller authenticated with an API token:
// such calls carry no ambient credential, so CSRF checks do not apply.
func viaToken(c *fiber.Ctx) bool {
	v, _ := c.Locals(viaTokenKey).(bool)
	return v
}

// identify finds who calls: an API token (Authorization: Bearer), else a
// session cookie. An anonymous caller goes on; the require… checks decide.
func (s *security) identify(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return survey.Errorf(survey.EUNAUTH, "send the API token as Authorization: Bearer <token>")
		}
		u, err := s.accounts.AuthenticateToken(ctx, strings.TrimSpace(secret))
		if err != nil {
			return err
		}
		c.Locals(viaTokenKey, true)
		s.setUser(c, u)
		return c.Next()
	}
	if id := c.Cookies(s.cookies.session); id != "" {
		u, err := s.accounts.Authenticate(ctx, id)
		switch {
		case err == nil:
			s.setUser(c, u)
		case survey.ErrorCode(err) != survey.EUNAUTH:
			return err
		}
	}
	return c.Next()
}

func (s *security) setUser(c *fiber.Ctx, u *auth.User) {
	c.Locals(userKey, u)
	c.Locals(scopeKey, u.Scope())
	c.SetUserContext(survey.WithActor(c.UserContext(), u.Actor()))
}

// requireAPIUser answers 401 to an anonymous API call.
func requireAPIUser(c *fiber.Ctx) error {
	u := callerUser(c)
	if u == nil {
		return survey.Errorf(survey.EUNAUTH, "sign in or send an API token")
	}
	if u.MustChangePassword && !viaToken(c) && c.Path() != "/api/v1/me" && c.Path() != "/api/v1/me/password" {
		return errMustChangePassword
	}
	return c.Next()
}

// errMustChangePassword refuses everything but the account page to a
// session signed in with a password someone else typed.
var errMustChangePassword = survey.Errorf(survey.EFORBIDDEN, "choose your own password first (PUT /api/v1/me/password)").Keyed("must_change_password")

// requirePageUser sends an anonymous visitor to the sign-in page, to come
// back here afterwards.
func requirePageUser(c *fiber.Ctx) error {
	if u := callerUser(c); u != nil {
		if !u.MustChangePassword || c.Path() == "/account" || c.Path() == "/account/password" {
			return c.Next()
		}
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return errMustChangePassword
		}
		return c.Redirect("/account", fiber.StatusSeeOther)
	}
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return survey.Errorf(survey.EUNAUTH, "sign in first")
	}
	return c.Redirect("/login?next="+url.QueryEscape(string(c.Request().URI().RequestURI())), fiber.StatusSeeOther)
}

// requireHR refuses everyone but HR.
func requireHR(c *fiber.Ctx) error {
	if u := callerUser(c); u == nil || !u.IsHR() {
		return survey.Errorf(survey.EFORBIDDEN, "this is for HR only").Keyed("hr_only")
	}
	return c.Next()
}

// safeNext keeps a post-login destination only if it is a path on this
// site: never another host (open redirect).
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/account"
	}
	return next
}
