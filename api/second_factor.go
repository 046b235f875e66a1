package api

import (
	"encoding/base64"
	"html/template"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"digigap/auth"
	"digigap/survey"
)

// secondFactorHandler is the TOTP step of a local sign-in (after the
// password: a code, a recovery code, or the enrolment HR must make), and
// enrolment from the account page.
type secondFactorHandler struct{ sec *security }

func (h *secondFactorHandler) register(r *routes) {
	r.Login.Get("/login/second-factor", h.form)
	r.Login.Post("/login/second-factor", h.submit)
	r.Pages.Get("/account/second-factor", h.enrolPage)
	r.Pages.Post("/account/second-factor", h.enrol)
}

// Keys of the session: the account waiting for its second factor, where
// it goes next, since when, and a secret being enrolled.
const (
	mfaUser   = "mfa_user"
	mfaNext   = "mfa_next"
	mfaAt     = "mfa_at"
	mfaSecret = "mfa_secret"
	// mfaMaxAge is how long the password step stays good.
	mfaMaxAge = 5 * 60
)

// startSecondFactor parks u, whose password was right, in the pre-login
// session and asks for the second factor; no signed-in session exists yet.
func (s *security) startSecondFactor(c *fiber.Ctx, u *auth.User, next string) error {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	// A new id for the session that now holds a half sign-in: an id
	// planted before (session fixation) cannot see the enrolment key.
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(mfaUser, u.ID)
	sess.Set(mfaNext, next)
	sess.Set(mfaAt, s.accounts.Now().Unix())
	sess.Delete(mfaSecret)
	if err := sess.Save(); err != nil {
		return err
	}
	return c.Redirect("/login/second-factor", fiber.StatusSeeOther)
}

// pending returns the account waiting for its second factor, or nil.
func (h *secondFactorHandler) pending(c *fiber.Ctx) (*auth.User, string, error) {
	sess, err := h.sec.sessions.Get(c)
	if err != nil {
		return nil, "", err
	}
	id, _ := sess.Get(mfaUser).(int64)
	at, _ := sess.Get(mfaAt).(int64)
	next, _ := sess.Get(mfaNext).(string)
	if id == 0 || h.sec.accounts.Now().Unix()-at > mfaMaxAge {
		return nil, "", nil
	}
	u, err := h.sec.accounts.User(c.UserContext(), id)
	if err != nil || u.Disabled {
		return nil, "", nil
	}
	return u, next, nil
}

// secondFactorForm is what the page shows.
type secondFactorForm struct {
	Action    string
	Enrol     bool
	Secret    string
	QR        template.URL
	CodeError string
	Recovery  []string
	Next      string
	CSRF      string
}

// enrolling returns the secret being enrolled, making one if needed.
func (s *security) enrolling(c *fiber.Ctx, email string) (secretOut string, f secondFactorForm, err error) {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return "", f, err
	}
	secret, _ := sess.Get(mfaSecret).(string)
	if secret == "" {
		if secret, _, err = auth.NewTOTPKey(email); err != nil {
			return "", f, err
		}
		sess.Set(mfaSecret, secret)
		if err := sess.Save(); err != nil {
			return "", f, err
		}
	}
	png, err := qrcode.Encode(totpURL(secret, email), qrcode.Medium, 256)
	if err != nil {
		return "", f, err
	}
	f = secondFactorForm{Enrol: true, Secret: secret, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	return secret, f, nil
}

// totpURL is the otpauth:// address authenticator apps read from the QR code.
func totpURL(secret, email string) string {
	return "otpauth://totp/digigap:" + urlEscape(email) + "?secret=" + secret + "&issuer=digigap&algorithm=SHA1&digits=6&period=30"
}

func (h *secondFactorHandler) render(c *fiber.Ctx, status int, f secondFactorForm) error {
	f.CSRF = csrfToken(c)
	title := "totp.title"
	if f.Enrol {
		title = "totp.enrol_title"
	}
	if f.Recovery != nil {
		title = "totp.recovery_title"
	}
	return render(c, status, "second_factor", translate(langOf(c), title), fiber.Map{"Form": f})
}

func (h *secondFactorHandler) form(c *fiber.Ctx) error {
	u, _, err := h.pending(c)
	if err != nil || u == nil {
		return orLogin(c, err)
	}
	f := secondFactorForm{Action: "/login/second-factor"}
	if !u.TOTPEnabled {
		if _, f, err = h.sec.enrolling(c, u.Email); err != nil {
			return err
		}
		f.Action = "/login/second-factor"
	}
	return h.render(c, fiber.StatusOK, f)
}

func orLogin(c *fiber.Ctx, err error) error {
	if err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// submit checks the code (or enrols the secret) and only then opens the
// signed-in session, under a new id.
func (h *secondFactorHandler) submit(c *fiber.Ctx) error {
	u, next, err := h.pending(c)
	if err != nil || u == nil {
		return orLogin(c, err)
	}
	code := string(c.Request().PostArgs().Peek("code"))
	ctx := c.UserContext()
	var recovery []string
	f := secondFactorForm{Action: "/login/second-factor"}
	if u.TOTPEnabled {
		err = h.sec.accounts.VerifySecondFactor(ctx, u, code)
	} else {
		var secret string
		if secret, f, err = h.sec.enrolling(c, u.Email); err != nil {
			return err
		}
		f.Action = "/login/second-factor"
		recovery, err = h.sec.accounts.EnableTOTP(ctx, u, secret, code)
	}
	if status, msg := codeRefusal(err); status != 0 {
		f.CodeError = translate(langOf(c), msg)
		return h.render(c, status, f)
	} else if err != nil {
		return err
	}
	sid, err := h.sec.accounts.OpenSession(ctx, u, "password and totp")
	if err != nil {
		return err
	}
	if old := c.Cookies(h.sec.cookies.session); old != "" {
		if err := h.sec.accounts.Logout(ctx, old); err != nil {
			return err
		}
	}
	h.sec.setSessionCookie(c, sid)
	if next == "" || next == "/account" {
		next = homeOf(u)
	}
	if recovery != nil {
		return h.render(c, fiber.StatusOK, secondFactorForm{Recovery: recovery, Next: next})
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// codeRefusal maps a wrong, throttled or unconfirmed code to its status
// and message; 0 for other errors.
func codeRefusal(err error) (int, string) {
	switch survey.ErrorCode(err) {
	case survey.EUNAUTH:
		return fiber.StatusUnauthorized, "totp.wrong"
	case survey.ETOOMANY:
		return fiber.StatusTooManyRequests, "totp.too_many"
	case survey.EINVALID:
		return fiber.StatusUnprocessableEntity, "totp.enrol_wrong"
	}
	return 0, ""
}

// enrolPage lets a signed-in local account turn on (or renew) TOTP; an
// SSO account gets its second factor from the identity provider.
func (h *secondFactorHandler) enrolPage(c *fiber.Ctx) error {
	u := callerUser(c)
	if viaToken(c) {
		return survey.Errorf(survey.EFORBIDDEN, "sign in to set up a second factor: an API token cannot")
	}
	if u.SSO {
		return survey.Errorf(survey.ECONFLICT, "your identity provider asks for your second factor: nothing to set up here")
	}
	_, f, err := h.sec.enrolling(c, u.Email)
	if err != nil {
		return err
	}
	f.Action = "/account/second-factor"
	return h.render(c, fiber.StatusOK, f)
}

func (h *secondFactorHandler) enrol(c *fiber.Ctx) error {
	u := callerUser(c)
	if viaToken(c) || u.SSO {
		return survey.Errorf(survey.EFORBIDDEN, "sign in with a password to set up a second factor")
	}
	secret, f, err := h.sec.enrolling(c, u.Email)
	if err != nil {
		return err
	}
	f.Action = "/account/second-factor"
	codes, err := h.sec.accounts.EnableTOTP(c.UserContext(), u, secret, c.FormValue("code"))
	if status, msg := codeRefusal(err); status != 0 {
		f.CodeError = translate(langOf(c), msg)
		return h.render(c, status, f)
	} else if err != nil {
		return err
	}
	if sess, err := h.sec.sessions.Get(c); err == nil {
		sess.Delete(mfaSecret)
		if err := sess.Save(); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, secondFactorForm{Recovery: codes, Next: "/account"})
}
