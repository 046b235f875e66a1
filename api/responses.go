package api

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// responseInput is the JSON body of POST /api/v1/responses.
type responseInput struct {
	CampaignID int64          `json:"campaign_id"`
	Token      string         `json:"token"`
	TeamLink   string         `json:"team_link"`
	Answers    map[string]any `json:"answers"`
}

// submitJSON stores one response sent by a program (a kiosk, an
// integration); it shares survey.Store.Submit with the HTML form. The
// answer names no response id: nothing ties the caller to what was stored.
func (h *respondentHandler) submitJSON(c *fiber.Ctx) error {
	if !utf8.Valid(c.Body()) {
		// encoding/json would silently replace invalid bytes.
		return survey.Errorf(survey.EMALFORMED, "the request body is not valid UTF-8")
	}
	var in responseInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.CampaignID <= 0 {
		return survey.FieldError(survey.EINVALID, "campaign_id", "campaign_id is required")
	}
	if in.TeamLink != "" {
		if c.Cookies(answeredCookie(in.CampaignID)) != "" {
			return errAlreadyAnswered
		}
		// Only a real link of this campaign spends (and creates) a bucket.
		l, err := h.store.TeamLinkByKey(c.UserContext(), in.TeamLink)
		if err != nil {
			return err
		}
		if l.CampaignID == in.CampaignID {
			if err := h.links.take(l.CampaignID, l.TeamID); err != nil {
				return err
			}
		}
	}
	sub := survey.Submission{CampaignID: in.CampaignID, Token: in.Token, TeamLink: in.TeamLink, Answers: survey.Answers(in.Answers)}
	if _, err := h.store.Submit(c.UserContext(), sub); err != nil {
		return err
	}
	if in.TeamLink != "" {
		if camp, err := h.store.Campaign(c.UserContext(), in.CampaignID); err == nil {
			setAnsweredCookie(c, camp, h.store.Now())
		}
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"stored": true})
}
