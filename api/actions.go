package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// actionHandler serves the actions teams record about their Gap. A
// manager reads and records actions for the teams they lead only; each
// listed action carries the Gap of its channels before and after, from
// the analytics engine.
type actionHandler struct {
	eng   *analytics.Engine
	store *survey.Store
}

func (h *actionHandler) register(r *routes) {
	r.API.Get("/teams/:team/actions", h.list)
	r.API.Post("/teams/:team/actions", h.add)
	r.API.Put("/actions/:id", h.setStatus)
}

func (h *actionHandler) list(c *fiber.Ctx) error {
	team, err := idParam(c, "team")
	if err != nil {
		return err
	}
	ctx, scope := c.UserContext(), callerScope(c)
	actions, err := h.store.Actions(ctx, scope, team)
	if err != nil {
		return err
	}
	effects, err := h.eng.ActionEffects(ctx, scope, actions)
	if err != nil {
		return err
	}
	return sendJSON(c, analytics.AppendActionsJSON(nil, effects))
}

func (h *actionHandler) add(c *fiber.Ctx) error {
	team, err := idParam(c, "team")
	if err != nil {
		return err
	}
	var in survey.ActionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := h.store.AddAction(c.UserContext(), callerScope(c), team, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

// statusInput is the one field an action's update may change.
type statusInput struct {
	Status string `json:"status"`
}

func (h *actionHandler) setStatus(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in statusInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := h.store.SetActionStatus(c.UserContext(), callerScope(c), id, in.Status)
	if err != nil {
		return err
	}
	return c.JSON(a)
}
