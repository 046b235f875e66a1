package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// userPasswordLink makes a one-time set-password link for an account and
// shows it once on the account's page: HR hands it over instead of a
// password it would have to invent and read out.
func (h *consoleHandler) userPasswordLink(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token, expires, err := h.accounts.CreatePasswordLink(c.UserContext(), id)
	var de *survey.Error
	if survey.ErrorCode(err) == survey.ECONFLICT && errors.As(err, &de) {
		return h.userPage(c, fiber.StatusConflict, nil, map[string]string{"link": keyedMessage(langOf(c), de)}, nil)
	}
	if err != nil {
		return err
	}
	lang, loc := langOf(c), h.store.Location()
	at := expires.In(loc)
	when := formatDate(lang, survey.DayOf(at, loc)) + " " + at.Format("15:04")
	return h.userPage(c, fiber.StatusOK, nil, nil, fiber.Map{
		"Link": h.links.base(c) + "/set-password/" + token, "LinkUntil": when,
	})
}
