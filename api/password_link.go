package api

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// passwordLinkHandler serves the one-time set-password links HR hands over
// instead of a password: the page names the account, its form sets the
// password once. It runs in the Login group (no session yet, a CSRF token).
type passwordLinkHandler struct {
	sec *security
}

func (h *passwordLinkHandler) register(r *routes) {
	r.Login.Get("/set-password/:token", h.form)
	r.Login.Post("/set-password/:token", h.submit)
}

// setPasswordPage is what the page shows: the account, or the one refusal.
type setPasswordPage struct {
	Email, Error, Invalid, CSRF, Action string
	MinPassword                         int
	Done                                bool
}

func (h *passwordLinkHandler) form(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	u, err := h.sec.accounts.PasswordLinkUser(c.UserContext(), token)
	if err != nil {
		return h.refused(c, err)
	}
	return h.render(c, fiber.StatusOK, setPasswordPage{Email: u.Email, Action: "/set-password/" + token})
}

func (h *passwordLinkHandler) submit(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	pw := string(c.Request().PostArgs().Peek("new_password"))
	u, err := h.sec.accounts.UsePasswordLink(c.UserContext(), token, pw)
	switch survey.ErrorCode(err) {
	case "":
		return h.render(c, fiber.StatusOK, setPasswordPage{Email: u.Email, Done: true})
	case survey.EINVALID:
		owner, lookErr := h.sec.accounts.PasswordLinkUser(c.UserContext(), token)
		if lookErr != nil {
			return h.refused(c, lookErr)
		}
		var de *survey.Error
		msg := translate(langOf(c), "account.new_required")
		if pw != "" && errors.As(err, &de) {
			msg = keyedMessage(langOf(c), de)
		}
		return h.render(c, fiber.StatusUnprocessableEntity, setPasswordPage{Email: owner.Email, Error: msg, Action: "/set-password/" + token})
	}
	return h.refused(c, err)
}

// refused shows an unknown, used or expired link as one message, in the
// reader's language; other failures go to the error handler.
func (h *passwordLinkHandler) refused(c *fiber.Ctx, err error) error {
	var de *survey.Error
	if survey.ErrorCode(err) != survey.ENOTFOUND || !errors.As(err, &de) {
		return err
	}
	return h.render(c, fiber.StatusNotFound, setPasswordPage{Invalid: keyedMessage(langOf(c), de)})
}

func (h *passwordLinkHandler) render(c *fiber.Ctx, status int, p setPasswordPage) error {
	p.CSRF, p.MinPassword = csrfToken(c), auth.MinPasswordLength
	return render(c, status, "set_password", translate(langOf(c), "setpw.title"), fiber.Map{"P": p})
}
