package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// tokenHandler lets HR manage API tokens for automation.
type tokenHandler struct{ accounts *auth.Service }

func (h *tokenHandler) register(r *routes) {
	r.HRAPI.Get("/tokens", h.list)
	r.HRAPI.Post("/tokens", h.create)
	r.HRAPI.Delete("/tokens/:id", h.revoke)
}

func (h *tokenHandler) list(c *fiber.Ctx) error {
	ts, err := h.accounts.Tokens(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"tokens": ts})
}

// createdToken shows the secret, this once.
type createdToken struct {
	*auth.APIToken
	Token string `json:"token"`
}

// create makes a token for the signed-in HR user. A bearer caller may not
// mint tokens at all: a stolen or short-lived token must not beget a
// longer-lived one, so a person signs in to make each token.
func (h *tokenHandler) create(c *fiber.Ctx) error {
	if viaToken(c) {
		return survey.Errorf(survey.EFORBIDDEN, "sign in to create an API token: an API token cannot make another")
	}
	var in auth.TokenInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	secret, t, err := h.accounts.CreateToken(c.UserContext(), callerUser(c), in)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(createdToken{APIToken: t, Token: secret})
}

func (h *tokenHandler) revoke(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := h.accounts.RevokeToken(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}
