package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// passwordFormErrors is what the account page's password form shows
// again after a mistake: messages only, never a password.
type passwordFormErrors struct {
	Current, New, Form, Done string
}

// passwordForm changes the caller's password from the account page, the
// same way as PUT /me/password: the current password under the sign-in
// throttle, the new one under the password rules; other sessions end.
func (h *accountHandler) passwordForm(c *fiber.Ctx) error {
	if viaToken(c) {
		return survey.Errorf(survey.EFORBIDDEN, "sign in to change your password: an API token cannot")
	}
	lang := langOf(c)
	args := c.Request().PostArgs()
	current, next := string(args.Peek("current_password")), string(args.Peek("new_password"))
	u := callerUser(c)
	var form passwordFormErrors
	if current == "" {
		form.Current = translate(lang, "account.current_required")
	}
	if next == "" {
		form.New = translate(lang, "account.new_required")
	}
	if form != (passwordFormErrors{}) {
		return h.render(c, fiber.StatusUnprocessableEntity, form)
	}
	err := h.sec.accounts.VerifyPassword(c.UserContext(), u, current, h.sec.clientAddr(c))
	if err == nil && current == next {
		err = survey.FieldError(survey.EINVALID, "password", "choose a password different from the current one").Keyed("password_same")
	}
	if err == nil {
		err = h.sec.accounts.SetPassword(c.UserContext(), u.ID, next, c.Cookies(h.sec.cookies.session))
	}
	switch survey.ErrorCode(err) {
	case "":
		return c.Redirect("/account?done=password", fiber.StatusSeeOther)
	case survey.ETOOMANY:
		form.Form = translate(lang, "login.too_many")
		return h.render(c, fiber.StatusTooManyRequests, form)
	case survey.EINVALID:
		var de *survey.Error
		if !errors.As(err, &de) {
			return err
		}
		if de.Field == "current_password" {
			form.Current = keyedMessage(lang, de)
		} else {
			form.New = keyedMessage(lang, de)
		}
		return h.render(c, fiber.StatusUnprocessableEntity, form)
	}
	return err
}
