package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// campaignRow is a campaign in a list, with its phase today.
type campaignRow struct {
	*survey.Campaign
	Phase string
}

func (h *consoleHandler) campaigns(c *fiber.Ctx) error {
	cs, err := h.store.Campaigns(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]campaignRow, len(cs))
	for i := range cs {
		rows[i] = campaignRow{Campaign: &cs[i], Phase: cs[i].Phase(h.store.Today())}
	}
	return h.page(c, fiber.StatusOK, "console/campaigns", "campaigns", "console.campaigns.title", fiber.Map{"Campaigns": rows})
}

// campaignInput reads the campaign form; a number that is not one becomes
// a value the domain refuses, so its message shows next to the field.
func campaignInput(c *fiber.Ctx) survey.CampaignInput {
	num := func(name string, def int) int {
		n, ok := formInt(c, name, def)
		if !ok {
			return -1
		}
		return n
	}
	return survey.CampaignInput{
		Name:            c.FormValue("name"),
		QuestionnaireID: int64(num("questionnaire_id", 0)),
		TeamCodes:       formList(c, "team_codes"),
		OpensOn:         strings.TrimSpace(c.FormValue("opens_on")),
		ClosesOn:        strings.TrimSpace(c.FormValue("closes_on")),
		MinGroup:        num("min_group", survey.DefaultMinGroup),
		AccessMode:      c.FormValue("access_mode"),
		LiveResults:     c.FormValue("live_results") == "true",
		RetentionDays:   num("retention_days", survey.DefaultRetentionDays),
		Unanimous:       c.FormValue("unanimous"),
	}
}

// campaignForm draws the create or edit form with the values given and
// the errors by field.
func (h *consoleHandler) campaignForm(c *fiber.Ctx, status int, id int64, in survey.CampaignInput, errs map[string]string) error {
	ctx := c.UserContext()
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	qs, err := h.store.Questionnaires(ctx)
	if err != nil {
		return err
	}
	checked := map[int64]bool{}
	for _, code := range in.TeamCodes {
		if t := tree.ByCode(code); t != nil {
			checked[t.ID] = true
		}
	}
	titleKey, action := "console.campaigns.new_title", "/hr/campaigns"
	if id != 0 {
		titleKey, action = "console.campaigns.edit_title", "/hr/campaigns/"+strconv.FormatInt(id, 10)
	}
	return h.page(c, status, "console/campaign_form", "campaigns", titleKey, fiber.Map{
		"In": in, "Errors": errs, "Tree": treeNodes(tree, checked), "Questionnaires": qs, "Action": action,
		"Modes":    []string{survey.AccessBoth, survey.AccessInvitation, survey.AccessTeamLink},
		"Policies": []string{survey.UnanimousThreshold, survey.UnanimousDisclose},
	})
}

func (h *consoleHandler) campaignNew(c *fiber.Ctx) error {
	ctx := c.UserContext()
	qs, err := h.store.Questionnaires(ctx)
	if err != nil {
		return err
	}
	in := survey.CampaignInput{MinGroup: survey.DefaultMinGroup, AccessMode: survey.AccessBoth, RetentionDays: survey.DefaultRetentionDays,
		Unanimous: survey.UnanimousThreshold} // recommended: see survey.UnanimousThreshold
	for _, q := range qs {
		if q.IsCurrent {
			in.QuestionnaireID = q.ID
		}
	}
	today := h.store.Today()
	in.OpensOn, in.ClosesOn = today, survey.AddDays(today, 14)
	return h.campaignForm(c, fiber.StatusOK, 0, in, nil)
}

func (h *consoleHandler) campaignCreate(c *fiber.Ctx) error {
	in := campaignInput(c)
	camp, err := h.store.CreateCampaign(c.UserContext(), in)
	if err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		return h.campaignForm(c, fiber.StatusUnprocessableEntity, 0, in, errs)
	}
	return done(c, campaignPath(camp.ID), "campaign_created")
}

func (h *consoleHandler) campaignEdit(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	tree, err := h.store.Tree(c.UserContext())
	if err != nil {
		return err
	}
	in := survey.CampaignInput{Name: camp.Name, QuestionnaireID: camp.QuestionnaireID, OpensOn: camp.OpensOn, ClosesOn: camp.ClosesOn,
		MinGroup: camp.MinGroup, AccessMode: camp.AccessMode, LiveResults: camp.LiveResults, RetentionDays: camp.RetentionDays, Unanimous: camp.Unanimous}
	for _, id := range camp.TeamIDs {
		if t := tree.Team(id); t != nil {
			in.TeamCodes = append(in.TeamCodes, t.Code)
		}
	}
	return h.campaignForm(c, fiber.StatusOK, camp.ID, in, nil)
}

func (h *consoleHandler) campaignUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := campaignInput(c)
	if _, err := h.store.UpdateCampaign(c.UserContext(), id, in); err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		return h.campaignForm(c, fiber.StatusUnprocessableEntity, id, in, errs)
	}
	return done(c, campaignPath(id), "campaign_saved")
}

func (h *consoleHandler) campaignParam(c *fiber.Ctx) (*survey.Campaign, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return h.store.Campaign(c.UserContext(), id)
}

func campaignPath(id int64) string { return "/hr/campaigns/" + strconv.FormatInt(id, 10) }

// campaignOpen and campaignClose ask first: opening freezes the threshold,
// teams and questionnaire; closing stops answers for good.
func (h *consoleHandler) campaignOpen(c *fiber.Ctx) error {
	return h.moveCampaign(c, "open", h.store.OpenCampaign)
}

func (h *consoleHandler) campaignClose(c *fiber.Ctx) error {
	return h.moveCampaign(c, "close", h.store.CloseCampaign)
}

func (h *consoleHandler) moveCampaign(c *fiber.Ctx, verb string, move func(ctx context.Context, id int64) (*survey.Campaign, error)) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	if !confirmed(c) {
		return h.page(c, fiber.StatusOK, "console/confirm", "campaigns", "console.confirm."+verb+"_title", fiber.Map{
			"Heading": translate(langOf(c), "console.confirm."+verb+"_title", camp.Name),
			"Message": translate(langOf(c), "console.confirm."+verb+"_text", camp.MinGroup),
			"Action":  campaignPath(camp.ID) + "/" + verb, "Button": "console.confirm." + verb, "Back": campaignPath(camp.ID),
		}, camp.Name)
	}
	if _, err := move(c.UserContext(), camp.ID); err != nil {
		return err
	}
	return done(c, campaignPath(camp.ID), "campaign_"+verb)
}

// campaignDelete removes a draft campaign, after a confirmation step.
func (h *consoleHandler) campaignDelete(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	if !confirmed(c) {
		lang := langOf(c)
		return h.page(c, fiber.StatusOK, "console/confirm", "campaigns", "console.confirm.delete_title", fiber.Map{
			"Heading": translate(lang, "console.confirm.delete_title", camp.Name), "Message": translate(lang, "console.confirm.delete_text"),
			"Action": campaignPath(camp.ID) + "/delete", "Button": "console.confirm.delete", "Back": campaignPath(camp.ID),
		}, camp.Name)
	}
	if err := h.store.DeleteCampaign(c.UserContext(), camp.ID); err != nil {
		return err
	}
	return done(c, "/hr/campaigns", "campaign_deleted")
}
