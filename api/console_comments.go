package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// commentTeam is a team of the campaign as the comments page lists it.
type commentTeam struct {
	ID      int64
	Name    string
	Depth   int
	Current bool
}

// comments shows HR the free-text answers of one group of a closed
// campaign (?team=ID, by default the whole campaign), as the engine
// decides them: shuffled, and only for groups of at least
// analytics.MinCommentGroup respondents (or k when higher).
func (h *consoleHandler) comments(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	tree, err := h.store.CampaignTree(ctx, camp)
	if err != nil {
		return err
	}
	tops := campaignTops(tree, camp.TeamIDs)
	team, ok := commonAncestor(tree, tops)
	if !ok && len(tops) > 0 {
		team = tops[0]
	}
	if id, err := strconv.ParseInt(c.Query("team"), 10, 64); err == nil {
		team = id
	}
	var teams []commentTeam
	for _, id := range survey.TreeOrder(tree, camp.TeamIDs) {
		teams = append(teams, commentTeam{ID: id, Name: tree.Team(id).Name, Depth: tree.Depth(id), Current: id == team})
	}
	lang := langOf(c)
	data := fiber.Map{"C": camp, "Teams": teams}
	cm, err := h.eng.Comments(ctx, survey.FullScope(), camp.ID, team)
	switch {
	case survey.ErrorCode(err) == survey.EFORBIDDEN:
		data["Message"] = translate(lang, "console.comments.after_close")
	case err != nil:
		return err
	case !cm.Shown:
		data["Group"] = cm.Team.Name
		data["Message"] = translate(lang, "console.comments.withheld", max(analytics.MinCommentGroup, cm.K))
	default:
		data["Group"], data["Comments"] = cm.Team.Name, cm.Comments
		if len(cm.Comments) == 0 {
			data["Message"] = translate(lang, "console.comments.none")
		}
	}
	return h.page(c, fiber.StatusOK, "console/comments", "campaigns", "console.comments.title", data, camp.Name)
}
