package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/auth"
)

// userHandler lets HR manage the staff accounts.
type userHandler struct{ accounts *auth.Service }

func (h *userHandler) register(r *routes) {
	r.HRAPI.Get("/users", h.list)
	r.HRAPI.Post("/users", h.create)
	r.HRAPI.Get("/users/:id", h.get)
	r.HRAPI.Put("/users/:id/teams", h.setTeams)
	r.HRAPI.Post("/users/:id/disable", h.disable)
	r.HRAPI.Post("/users/:id/enable", h.enable)
}

func (h *userHandler) list(c *fiber.Ctx) error {
	us, err := h.accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"users": us})
}

func (h *userHandler) get(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := h.accounts.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h *userHandler) create(c *fiber.Ctx) error {
	var in auth.UserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.Typed = true // HR typed it: its owner chooses their own at first sign-in
	u, err := h.accounts.CreateUser(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

// teamsInput is the body of PUT /users/:id/teams.
type teamsInput struct {
	TeamCodes []string `json:"team_codes"`
}

func (h *userHandler) setTeams(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in teamsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.accounts.SetTeams(c.UserContext(), id, in.TeamCodes)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// disable ends the account's sessions at once; enable lets it sign in again.
func (h *userHandler) disable(c *fiber.Ctx) error { return h.setDisabled(c, true) }

func (h *userHandler) enable(c *fiber.Ctx) error { return h.setDisabled(c, false) }

func (h *userHandler) setDisabled(c *fiber.Ctx, disabled bool) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := h.accounts.SetDisabled(c.UserContext(), id, disabled)
	if err != nil {
		return err
	}
	return c.JSON(u)
}
