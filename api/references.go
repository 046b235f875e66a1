package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// referenceHandler serves the reference values HR sets for the dashboards'
// reference lines (clients' use of a channel, national figures, targets).
type referenceHandler struct{ store *survey.Store }

func (h *referenceHandler) register(r *routes) {
	r.API.Get("/reference-values", h.list)
	r.HRAPI.Post("/reference-values", h.add)
	r.HRAPI.Delete("/reference-values/:id", h.delete)
}

func (h *referenceHandler) list(c *fiber.Ctx) error {
	refs, err := h.store.ReferenceValues(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"reference_values": refs})
}

func (h *referenceHandler) add(c *fiber.Ctx) error {
	var in survey.ReferenceInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ref, err := h.store.AddReferenceValue(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ref)
}

func (h *referenceHandler) delete(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteReferenceValue(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
