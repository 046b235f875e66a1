package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// loginHandler serves the sign-in form, works without JavaScript, and
// signs out. Its routes run in the Login group: an anonymous session
// holds the form's CSRF token.
type loginHandler struct {
	sec   *security
	store *survey.Store
}

func (h *loginHandler) register(r *routes) {
	r.Pages.Get("/", home)
	r.Login.Get("/login", h.form)
	r.Login.Post("/login", h.submit)
	r.Login.Post("/logout", h.logout)
}

// loginForm is what the form shows again after a mistake: never the password.
type loginForm struct {
	Email, Next     string
	EmailError      string
	PasswordError   string
	FormError       string
	CSRF            string
	EmailInvalid    bool
	PasswordInvalid bool
	// SSO shows the identity provider's button, Local the password form.
	SSO, Local bool
}

func (h *loginHandler) form(c *fiber.Ctx) error {
	if callerUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return h.render(c, fiber.StatusOK, loginForm{Next: safeNext(c.Query("next"))})
}

func (h *loginHandler) render(c *fiber.Ctx, status int, f loginForm) error {
	f.CSRF = csrfToken(c)
	f.SSO, f.Local = h.sec.rp != nil, h.sec.localSignIn
	f.EmailInvalid, f.PasswordInvalid = f.EmailError != "", f.PasswordError != ""
	return render(c, status, "login", translate(langOf(c), "login.title"), fiber.Map{"Form": f})
}

// submit checks the form, then the password; on success the browser gets a
// new session id (the anonymous one is ended), so an id planted before
// sign-in is worthless after it.
func (h *loginHandler) submit(c *fiber.Ctx) error {
	lang := langOf(c)
	if !h.sec.localSignIn {
		return survey.Errorf(survey.EFORBIDDEN, "sign in with the company's identity provider: passwords are switched off")
	}
	args := c.Request().PostArgs()
	f := loginForm{Email: string(args.Peek("email")), Next: safeNext(string(args.Peek("next")))}
	password := string(args.Peek("password"))
	if f.Email == "" {
		f.EmailError = translate(lang, "login.email_required")
	}
	if password == "" {
		f.PasswordError = translate(lang, "login.password_required")
	}
	if f.EmailError != "" || f.PasswordError != "" {
		return h.render(c, fiber.StatusUnprocessableEntity, f)
	}
	u, err := h.sec.accounts.CheckCredentials(c.UserContext(), f.Email, password, h.sec.clientAddr(c))
	switch survey.ErrorCode(err) {
	case "":
	case survey.EUNAUTH:
		f.PasswordError = translate(lang, "login.bad_credentials")
		return h.render(c, fiber.StatusUnauthorized, f)
	case survey.ETOOMANY:
		f.FormError = translate(lang, "login.too_many")
		return h.render(c, fiber.StatusTooManyRequests, f)
	default:
		return err
	}
	if next := c.FormValue("next"); next == "" || safeNext(next) != next {
		f.Next = homeOf(u) // no (safe) page asked for: the user's start page
	}
	if u.TOTPEnabled || (u.IsHR() && h.sec.requireTOTPForHR) {
		return h.sec.startSecondFactor(c, u, f.Next)
	}
	id, err := h.sec.accounts.OpenSession(c.UserContext(), u, "password")
	if err != nil {
		return err
	}
	if old := c.Cookies(h.sec.cookies.session); old != "" {
		if err := h.sec.accounts.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	h.sec.setSessionCookie(c, id)
	return c.Redirect(f.Next, fiber.StatusSeeOther)
}

// logout ends the session at once, server-side, and forgets the cookie;
// an SSO account then goes to the provider's logout page when it has one
// (RP-initiated logout), so the shared PC is signed out there too.
func (h *loginHandler) logout(c *fiber.Ctx) error {
	u := callerUser(c)
	if err := h.sec.accounts.Logout(c.UserContext(), c.Cookies(h.sec.cookies.session)); err != nil {
		return err
	}
	h.sec.clearSessionCookie(c)
	if u != nil && u.SSO && h.sec.rp != nil {
		if to := h.sec.rp.endSessionURL(c.UserContext()); to != "" {
			return c.Redirect(to, fiber.StatusSeeOther)
		}
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// homeOf is where a user starts: HR in the console, a manager on the charts.
func homeOf(u *auth.User) string {
	if u.IsHR() {
		return "/hr"
	}
	return "/dashboard/"
}

// home sends a signed-in user to their start page; an anonymous visitor
// has already been sent to /login by the group.
func home(c *fiber.Ctx) error {
	return c.Redirect(homeOf(callerUser(c)), fiber.StatusSeeOther)
}
