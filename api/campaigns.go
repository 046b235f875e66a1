package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// campaignHandler serves campaigns (waves) and their life cycle.
type campaignHandler struct{ store *survey.Store }

// register: managers read the campaigns that asked their teams; HR runs them.
func (h *campaignHandler) register(r *routes) {
	r.API.Get("/campaigns", h.list)
	r.HRAPI.Post("/campaigns", h.create)
	r.API.Get("/campaigns/:id", h.get)
	r.HRAPI.Put("/campaigns/:id", h.update)
	r.HRAPI.Post("/campaigns/:id/open", h.open)
	r.HRAPI.Post("/campaigns/:id/close", h.close)
}

// campaignView adds the phase respondents see today.
type campaignView struct {
	*survey.Campaign
	Phase string `json:"phase"`
}

func (h *campaignHandler) view(c *survey.Campaign) campaignView {
	return campaignView{Campaign: c, Phase: c.Phase(h.store.Today())}
}

// list shows HR every campaign; a manager only those that covered a team
// of theirs, each with only their own teams.
func (h *campaignHandler) list(c *fiber.Ctx) error {
	ctx, scope := c.UserContext(), callerScope(c)
	cs, err := h.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	out := []campaignView{}
	if scope.All {
		for i := range cs {
			out = append(out, h.view(&cs[i]))
		}
		return c.JSON(fiber.Map{"campaigns": out})
	}
	tree, err := h.store.HistoryTree(ctx)
	if err != nil {
		return err
	}
	for _, brief := range cs {
		camp, err := h.store.Campaign(ctx, brief.ID)
		if err != nil {
			return err
		}
		if scope.CheckCampaign(tree, camp) == nil {
			camp.TeamIDs = scope.VisibleTeams(tree, camp.TeamIDs)
			out = append(out, h.view(camp))
		}
	}
	return c.JSON(fiber.Map{"campaigns": out})
}

func (h *campaignHandler) get(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, scope := c.UserContext(), callerScope(c)
	camp, err := h.store.Campaign(ctx, id)
	if err != nil {
		return err
	}
	tree, err := h.store.HistoryTree(ctx)
	if err != nil {
		return err
	}
	if err := scope.CheckCampaign(tree, camp); err != nil {
		return err
	}
	camp.TeamIDs = scope.VisibleTeams(tree, camp.TeamIDs)
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
