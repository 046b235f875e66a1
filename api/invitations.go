package api

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"digigap/survey"
)

// invitationHandler lets HR hand out a campaign: personal invitations as a
// one-time CSV, and open team links with printable QR codes.
type invitationHandler struct {
	store   *survey.Store
	baseURL string // public address of the respondent pages; the request's own when empty
}

func (h *invitationHandler) register(r *routes) {
	r.HRAPI.Post("/campaigns/:id/invitations", h.generate)
	r.HRAPI.Get("/campaigns/:id/team-links", h.teamLinks)
	r.HRAPI.Get("/campaigns/:id/team-links/:code/qr.png", h.qr)
}

func (h *invitationHandler) base(c *fiber.Ctx) string {
	if h.baseURL != "" {
		return h.baseURL
	}
	return strings.TrimRight(c.BaseURL(), "/")
}

// generate answers the CSV team_code,team_name,link. The tokens exist only
// in this answer: it is never cached, and generating again for a team
// revokes its unused invitations.
func (h *invitationHandler) generate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req survey.InvitationRequest
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	issued, err := h.store.GenerateInvitations(c.UserContext(), id, req)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := survey.WriteInvitationsCSV(&buf, h.base(c), issued); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="invitations-campaign-`+strconv.FormatInt(id, 10)+`.csv"`)
	return c.Send(buf.Bytes())
}

// teamLinkView is one team link as the API lists it.
type teamLinkView struct {
	TeamCode  string `json:"team_code"`
	TeamName  string `json:"team_name"`
	Headcount int    `json:"headcount"`
	URL       string `json:"url"`
	QRURL     string `json:"qr_url"`
}

func (h *invitationHandler) teamLinks(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	links, err := h.store.TeamLinks(c.UserContext(), id)
	if err != nil {
		return err
	}
	out := make([]teamLinkView, len(links))
	for i, l := range links {
		out[i] = teamLinkView{
			TeamCode: l.TeamCode, TeamName: l.TeamName, Headcount: l.Headcount,
			URL:   survey.TeamLinkURL(h.base(c), l.Key),
			QRURL: "/api/v1/campaigns/" + strconv.FormatInt(id, 10) + "/team-links/" + url.PathEscape(l.TeamCode) + "/qr.png",
		}
	}
	return c.JSON(fiber.Map{"team_links": out})
}

// qr draws a team link as a PNG QR code, large enough to print on a poster.
func (h *invitationHandler) qr(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	l, err := h.store.TeamLinkFor(c.UserContext(), id, c.Params("code"))
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(survey.TeamLinkURL(h.base(c), l.Key), qrcode.Medium, 512)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="team-link-`+strconv.FormatInt(id, 10)+`.png"`)
	return c.Send(png)
}
