package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// campaignHandler serves campaigns (waves) and their life cycle.
type campaignHandler struct{ store *survey.Store }

func (h *campaignHandler) register(r fiber.Router) {
	r.Get("/campaigns", h.list)
	r.Post("/campaigns", h.create)
	r.Get("/campaigns/:id", h.get)
	r.Put("/campaigns/:id", h.update)
	r.Post("/campaigns/:id/open", h.open)
	r.Post("/campaigns/:id/close", h.close)
}

// campaignView adds the phase respondents see today.
type campaignView struct {
	*survey.Campaign
	Phase string `json:"phase"`
}

func (h *campaignHandler) view(c *survey.Campaign) campaignView {
	return campaignView{Campaign: c, Phase: c.Phase(h.store.Now())}
}

func (h *campaignHandler) list(c *fiber.Ctx) error {
	cs, err := h.store.Campaigns(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]campaignView, len(cs))
	for i := range cs {
		out[i] = h.view(&cs[i])
	}
	return c.JSON(fiber.Map{"campaigns": out})
}

func (h *campaignHandler) get(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	camp, err := h.store.Campaign(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(h.view(camp))
}

func (h *campaignHandler) create(c *fiber.Ctx) error {
	var in survey.CampaignInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	camp, err := h.store.CreateCampaign(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(h.view(camp))
}

func (h *campaignHandler) update(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in survey.CampaignInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	camp, err := h.store.UpdateCampaign(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(h.view(camp))
}

func (h *campaignHandler) open(c *fiber.Ctx) error {
	return h.move(c, h.store.OpenCampaign)
}

func (h *campaignHandler) close(c *fiber.Ctx) error {
	return h.move(c, h.store.CloseCampaign)
}

func (h *campaignHandler) move(c *fiber.Ctx, to func(ctx context.Context, id int64) (*survey.Campaign, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	camp, err := to(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(h.view(camp))
}
