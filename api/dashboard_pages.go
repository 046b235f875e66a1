package api

import (
	"encoding/csv"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// group is the page of one campaign and group: breadcrumbs, sub-teams and
// every chart with its table view and CSV download.
func (h *dashboardHandler) group(c *fiber.Ctx) error {
	g, err := h.newGroupData(c)
	if err != nil {
		return err
	}
	views, hidden, err := g.charts()
	if err != nil {
		return err
	}
	crumbs, err := h.crumbs(c, g)
	if err != nil {
		return err
	}
	team := g.part.Rows[0].Team
	lang := langOf(c)
	return render(c, fiber.StatusOK, "dashboard/group", team.Name+" · "+g.campaign.Name, fiber.Map{
		"Campaign": g.campaign, "Phase": g.campaign.Phase(h.store.Today()), "Team": team, "K": g.part.K,
		"Crumbs": crumbs, "Children": orgTree(g.part, g.campaign.ID)[1:], "Charts": views, "Hidden": hidden,
		"Styles": dashboardStyles(), "Scripts": dashboardScripts(), "PrintHint": translate(lang, "dash.print"),
		"TeamPageURL": teamURL(team.ID),
	})
}

// crumbs lead from the campaign list to the group, through the teams above
// it that the caller may open.
func (h *dashboardHandler) crumbs(c *fiber.Ctx, g *groupData) ([]crumb, error) {
	tree, err := h.store.Tree(g.ctx)
	if err != nil {
		return nil, err
	}
	out := []crumb{{translate(langOf(c), "dash.title"), dashboardPrefix + "/"}, {g.campaign.Name, campaignURL(g.campaign.ID)}}
	for _, t := range tree.Path(g.team) {
		if g.scope.Allows(tree, t.ID) {
			out = append(out, crumb{t.Name, groupURL(g.campaign.ID, t.ID)})
		}
	}
	out[len(out)-1].URL = ""
	return out, nil
}

// csv downloads the table view of one chart.
func (h *dashboardHandler) csv(c *fiber.Ctx) error {
	b, ok := builderOf(c.Params("chart"))
	if !ok {
		return survey.Errorf(survey.ENOTFOUND, "no chart %q", c.Params("chart"))
	}
	g, err := h.newGroupData(c)
	if err != nil {
		return err
	}
	ch, err := b.build(g)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="digigap-%d-%d-%s.csv"`, g.campaign.ID, g.team, b.id))
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csv.NewWriter(c)
	if err := w.WriteAll(ch.Table.CSV()); err != nil {
		return err
	}
	return nil
}

// liveParticipation answers the participation chart's spec, which the page
// polls while the campaign is open.
func (h *dashboardHandler) liveParticipation(c *fiber.Ctx) error {
	g, err := h.newGroupData(c)
	if err != nil {
		return err
	}
	b, _ := builderOf("participation")
	ch, err := b.build(g)
	if err != nil {
		return err
	}
	v, err := g.view(ch)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(string(v.Spec))
}
