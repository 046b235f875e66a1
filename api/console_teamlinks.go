package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// teamLinkWarning tells HR, on the page of a campaign answered through
// team links, that a link cannot stop one person answering several times
// (only a cookie the browser may drop, and the team's headcount, limit
// it), and lists the teams under twice the threshold, for which personal
// invitations are the safer choice.
func (h *consoleHandler) teamLinkWarning(c *fiber.Ctx, camp *survey.Campaign, data fiber.Map) error {
	if !camp.AllowsTeamLinks() {
		return nil
	}
	tree, err := h.store.Tree(c.UserContext())
	if err != nil {
		return err
	}
	under := 2 * camp.MinGroup
	var small []teamNode
	for _, id := range survey.TreeOrder(tree, camp.TeamIDs) {
		if t := tree.Team(id); t.Headcount > 0 && t.Headcount < under {
			small = append(small, teamNode{ID: id, Code: t.Code, Name: t.Name, Headcount: t.Headcount})
		}
	}
	data["LinkWarning"], data["SmallTeams"] = under, small
	return nil
}
