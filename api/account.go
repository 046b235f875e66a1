package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// accountHandler shows the signed-in user who they are, on a page and in
// the API, and lets them change their password.
type accountHandler struct {
	sec   *security
	store *survey.Store
}

func (h *accountHandler) register(r *routes) {
	r.Pages.Get("/account", h.page)
	r.Pages.Post("/account/password", h.passwordForm)
	r.API.Get("/me", h.me)
	r.API.Put("/me/password", h.changePassword)
}

// myTeams are the teams the caller leads (none listed for HR, who sees all).
func (h *accountHandler) myTeams(c *fiber.Ctx) ([]survey.Team, error) {
	u := callerUser(c)
	out := []survey.Team{}
	if len(u.TeamIDs) == 0 {
		return out, nil
	}
	tree, err := h.store.Tree(c.UserContext())
	if err != nil {
		return nil, err
	}
	for _, id := range u.TeamIDs {
		if t := tree.Team(id); t != nil {
			out = append(out, *t)
		}
	}
	return out, nil
}

func (h *accountHandler) page(c *fiber.Ctx) error {
	form := passwordFormErrors{}
	if c.Query("done") == "password" {
		form.Done = translate(langOf(c), "account.password_changed")
	}
	return h.render(c, fiber.StatusOK, form)
}

func (h *accountHandler) render(c *fiber.Ctx, status int, form passwordFormErrors) error {
	u := callerUser(c)
	teams, err := h.myTeams(c)
	if err != nil {
		return err
	}
	return render(c, status, "account", translate(langOf(c), "account.title"), fiber.Map{
		"Email": u.Email, "RoleKey": "account.role." + u.Role, "Teams": teams, "CSRF": csrfToken(c),
		"SSO": u.SSO, "TOTP": u.TOTPEnabled, "MustChange": u.MustChangePassword,
		"Password": form, "MinPassword": auth.MinPasswordLength,
	})
}

// me answers who the caller is, with the CSRF token a script sends back in
// the X-CSRF-Token header of its unsafe calls.
func (h *accountHandler) me(c *fiber.Ctx) error {
	u := callerUser(c)
	teams, err := h.myTeams(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": u.ID, "email": u.Email, "role": u.Role, "teams": teams, "csrf_token": csrfToken(c)})
}

// passwordChange is the body of PUT /me/password.
type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword needs the current password; other sessions of the
// account end, this one stays.
func (h *accountHandler) changePassword(c *fiber.Ctx) error {
	if viaToken(c) {
		return survey.Errorf(survey.EFORBIDDEN, "sign in to change your password: an API token cannot")
	}
	var in passwordChange
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := callerUser(c)
	sid := c.Cookies(h.sec.cookies.session)
	if _, err := h.sec.accounts.Authenticate(c.UserContext(), sid); err != nil {
		return err
	}
	if err := h.sec.accounts.VerifyPassword(c.UserContext(), u, in.CurrentPassword, h.sec.clientAddr(c)); err != nil {
		return err
	}
	if err := h.sec.accounts.SetPassword(c.UserContext(), u.ID, in.NewPassword, sid); err != nil {
		if de, ok := err.(*survey.Error); ok && de.Field == "password" {
			de.Field = "new_password"
		}
		return err
	}
	return c.JSON(fiber.Map{"changed": true})
}
