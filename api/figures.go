package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// figuresHandler serves the adoption-gap figures of a campaign. Every
// read passes callerScope(c) to the analytics engine, which checks it and
// applies the anonymity rules in one place (analytics/view.go).
type figuresHandler struct {
	eng   *analytics.Engine
	store *survey.Store
}

// register puts the figures behind sign-in; the engine applies each
// caller's scope (a manager's subtree) and the anonymity rules itself.
func (h *figuresHandler) register(r *routes) {
	r.API.Get("/campaigns/:id/gaps", h.gaps)
	r.API.Get("/campaigns/:id/participation", h.participation)
	r.API.Get("/campaigns/:id/teams/:team/summary", h.summary)
	r.API.Get("/campaigns/:id/teams/:team/barriers", h.barriers)
	r.API.Get("/campaigns/:id/teams/:team/culture", h.culture)
	r.HRAPI.Get("/campaigns/:id/teams/:team/comments", h.comments)
	r.API.Get("/campaigns/:id/teams/:team/bands/:item", h.bands)
	r.API.Get("/campaigns/:id/export/:table", h.export)
}

// sendJSON sends a body written by an AppendJSON method.
func sendJSON(c *fiber.Ctx, body []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

// queryInt reads an optional integer query parameter.
func queryInt(c *fiber.Ctx, name string, def int64) (int64, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, survey.FieldError(survey.EINVALID, name, "%s must be a whole number", name)
	}
	return v, nil
}

// depthQuery reads ?depth= (levels below the starting teams, default 1;
// "all" for the whole subtree).
func depthQuery(c *fiber.Ctx) (int, error) {
	if c.Query("depth") == "all" {
		return -1, nil
	}
	d, err := queryInt(c, "depth", 1)
	if err != nil || d < 0 || d > 64 {
		return 0, survey.FieldError(survey.EINVALID, "depth", "depth must be a number of levels from 0 to 64, or all")
	}
	return int(d), nil
}

// gapQuery reads the campaign, team, depth and compare parameters.
func gapQuery(c *fiber.Ctx) (analytics.GapQuery, error) {
	var q analytics.GapQuery
	var err error
	if q.CampaignID, err = idParam(c, "id"); err != nil {
		return q, err
	}
	if q.TeamID, err = queryInt(c, "team", 0); err != nil {
		return q, err
	}
	if q.CompareID, err = queryInt(c, "compare", 0); err != nil {
		return q, err
	}
	q.Depth, err = depthQuery(c)
	return q, err
}

func (h *figuresHandler) gaps(c *fiber.Ctx) error {
	q, err := gapQuery(c)
	if err != nil {
		return err
	}
	compact := false
	switch c.Query("format") {
	case "", "objects":
	case "compact":
		compact = true
	default:
		return survey.FieldError(survey.EINVALID, "format", "format must be objects or compact")
	}
	t, err := h.eng.GapTable(c.UserContext(), callerScope(c), q)
	if err != nil {
		return err
	}
	if compact {
		return sendJSON(c, t.AppendCompactJSON(nil, langOf(c)))
	}
	return sendJSON(c, t.AppendJSON(nil, langOf(c)))
}

func (h *figuresHandler) participation(c *fiber.Ctx) error {
	q, err := gapQuery(c)
	if err != nil {
		return err
	}
	p, err := h.eng.Participation(c.UserContext(), callerScope(c), q.CampaignID, q.TeamID, q.Depth)
	if err != nil {
		return err
	}
	return sendJSON(c, p.AppendJSON(nil))
}

// groupParams reads the campaign and team of a group route.
func groupParams(c *fiber.Ctx) (campaign, team int64, err error) {
	if campaign, err = idParam(c, "id"); err != nil {
		return 0, 0, err
	}
	team, err = idParam(c, "team")
	return campaign, team, err
}

func (h *figuresHandler) summary(c *fiber.Ctx) error {
	id, team, err := groupParams(c)
	if err != nil {
		return err
	}
	s, err := h.eng.Summary(c.UserContext(), callerScope(c), id, team)
	if err != nil {
		return err
	}
	return sendJSON(c, s.AppendJSON(nil, langOf(c)))
}

func (h *figuresHandler) barriers(c *fiber.Ctx) error {
	id, team, err := groupParams(c)
	if err != nil {
		return err
	}
	b, err := h.eng.Barriers(c.UserContext(), callerScope(c), id, team)
	if err != nil {
		return err
	}
	return sendJSON(c, b.AppendJSON(nil, langOf(c)))
}

func (h *figuresHandler) culture(c *fiber.Ctx) error {
	id, team, err := groupParams(c)
	if err != nil {
		return err
	}
	cu, err := h.eng.Culture(c.UserContext(), callerScope(c), id, team)
	if err != nil {
		return err
	}
	return sendJSON(c, cu.AppendJSON(nil, langOf(c)))
}

func (h *figuresHandler) comments(c *fiber.Ctx) error {
	id, team, err := groupParams(c)
	if err != nil {
		return err
	}
	cm, err := h.eng.Comments(c.UserContext(), callerScope(c), id, team)
	if err != nil {
		return err
	}
	return sendJSON(c, cm.AppendJSON(nil))
}

func (h *figuresHandler) bands(c *fiber.Ctx) error {
	id, team, err := groupParams(c)
	if err != nil {
		return err
	}
	b, err := h.eng.Bands(c.UserContext(), callerScope(c), id, team, c.Params("item"))
	if err != nil {
		return err
	}
	return sendJSON(c, b.AppendJSON(nil, langOf(c)))
}
