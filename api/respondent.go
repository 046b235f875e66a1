package api

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// SubmitBodyLimit caps the body of the respondent routes: the default
// questionnaire with its longest comment posts well under 16 KiB.
const SubmitBodyLimit = 64 << 10

// respondentHandler serves the public side: invitation and team-link
// pages, the questionnaire, the thank-you page and the JSON submission.
// No session is needed: a personal token or a team link is the key.
type respondentHandler struct {
	store *survey.Store
	links *linkLimiter // answers a minute per team link
}

// registerRespondentRoutes mounts the public routes. It must run before
// the HR group is mounted on /api/v1, so that no HR middleware runs for
// POST /api/v1/responses.
func registerRespondentRoutes(r *routes, d Deps) {
	h := &respondentHandler{store: d.Store, links: newLinkLimiter(d.TeamLinkRate, d.Store.Now)}
	limit := limitBody(SubmitBodyLimit)
	app := r.Public
	app.Get("/s/", h.landing)
	app.Post("/s/", limit, h.invitation)
	app.Get("/s/team/:key", h.teamLink)
	app.Post("/s/questionnaire", limit, h.questionnaire)
	app.Post("/s/submit", limit, h.submit)
	app.Get("/s/thanks", h.thanks)
	app.Post("/s/another", limit, h.another)
	// A language link on a page drawn by a POST lands on the start page.
	app.Get("/s/questionnaire", h.toLanding)
	app.Get("/s/submit", h.toLanding)
	r.PublicAPI.Post("/responses", limit, h.submitJSON)
}

// limitBody refuses a body over n bytes with 413, whatever the global limit.
func limitBody(n int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Request().Header.ContentLength() > n || len(c.Body()) > n {
			return survey.Errorf(survey.ETOOLARGE, "the request body is larger than %d KiB", n>>10)
		}
		return c.Next()
	}
}

// access is how a respondent came: a personal token or a team link.
type access struct {
	Token, TeamLink string
	Campaign        *survey.Campaign
	TeamID          int64
}

// landing is where a personal link lands: its script posts the token from
// the fragment; without scripts, the respondent pastes the code.
func (h *respondentHandler) landing(c *fiber.Ctx) error {
	lang := langOf(c)
	return render(c, fiber.StatusOK, "survey/landing", translate(lang, "survey.landing.heading"), nil)
}

// invitation checks a posted token and shows the first page.
func (h *respondentHandler) invitation(c *fiber.Ctx) error {
	a, err := h.byToken(c, pastedToken(c.FormValue("token")))
	if err != nil {
		return h.refuse(c, err)
	}
	return h.intro(c, a)
}

func (h *respondentHandler) teamLink(c *fiber.Ctx) error {
	a, err := h.byTeamLink(c, c.Params("key"))
	if err != nil {
		return h.refuse(c, err)
	}
	return h.intro(c, a)
}

// byToken resolves a personal invitation that can still answer.
func (h *respondentHandler) byToken(c *fiber.Ctx, token string) (*access, error) {
	inv, err := h.store.InvitationByToken(c.UserContext(), token)
	if err != nil {
		return nil, err
	}
	return h.openAccess(c, &access{Token: token, TeamID: inv.TeamID}, inv.CampaignID)
}

// byTeamLink resolves a team link that this browser has not answered yet.
func (h *respondentHandler) byTeamLink(c *fiber.Ctx, key string) (*access, error) {
	l, err := h.store.TeamLinkByKey(c.UserContext(), key)
	if err != nil {
		return nil, err
	}
	if c.Cookies(answeredCookie(l.CampaignID)) != "" {
		return nil, errAlreadyAnswered
	}
	if err := h.store.CheckTeamLinkRoom(c.UserContext(), l.CampaignID, l.TeamID); err != nil {
		return nil, err
	}
	return h.openAccess(c, &access{TeamLink: key, TeamID: l.TeamID}, l.CampaignID)
}

// openAccess loads the campaign and refuses it unless it takes answers today.
func (h *respondentHandler) openAccess(c *fiber.Ctx, a *access, campaignID int64) (*access, error) {
	camp, err := h.store.Campaign(c.UserContext(), campaignID)
	if err != nil {
		return nil, err
	}
	a.Campaign = camp
	if camp.Phase(h.store.Today()) != survey.PhaseOpen {
		return nil, &notOpenError{camp}
	}
	return a, nil
}

// accessOf reads the hidden fields the pages carry from one step to the next.
func (h *respondentHandler) accessOf(c *fiber.Ctx) (*access, error) {
	var (
		a   *access
		err error
	)
	if tok := c.FormValue("token"); tok != "" {
		a, err = h.byToken(c, tok)
	} else {
		a, err = h.byTeamLink(c, c.FormValue("team_link"))
	}
	if err != nil {
		return nil, err
	}
	if strconv.FormatInt(a.Campaign.ID, 10) != c.FormValue("campaign_id") {
		return nil, survey.FieldError(survey.ENOTFOUND, "campaign_id", "this link is not valid for this survey")
	}
	return a, nil
}

// pastedToken accepts the code alone or the whole link pasted by mistake.
func pastedToken(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "#t="); i >= 0 {
		s = s[i+3:]
	}
	return s
}

func (h *respondentHandler) toLanding(c *fiber.Ctx) error {
	to := "/s/"
	if l := c.Query("lang"); supported(l) {
		to += "?lang=" + l
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// thanks ends an answer. After a team link it offers the next colleague on
// the same computer a fresh start (?link= names the link, which the team
// shares anyway; nothing in it points to the person who answered).
func (h *respondentHandler) thanks(c *fiber.Ctx) error {
	lang := langOf(c)
	data := fiber.Map{}
	if key := c.Query("link"); key != "" {
		if l, err := h.store.TeamLinkByKey(c.UserContext(), key); err == nil {
			data["TeamLink"] = l.Key
		}
	}
	return render(c, fiber.StatusOK, "survey/thanks", translate(lang, "survey.thanks.heading"), data)
}

// another clears this browser's answered mark for a team link, so that
// the next colleague at a shared PC is never locked out, and opens the link
// afresh. The mark only prevents an accidental second answer; the real
// guard against stuffing a team link is on the server.
func (h *respondentHandler) another(c *fiber.Ctx) error {
	l, err := h.store.TeamLinkByKey(c.UserContext(), c.FormValue("team_link"))
	if err != nil {
		return h.refuse(c, err)
	}
	clearAnsweredCookie(c, l.CampaignID)
	return c.Redirect("/s/team/"+url.PathEscape(l.Key), fiber.StatusSeeOther)
}
