package api

import (
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
		"TeamPageURL": teamURL(team.ID), "PrintedOn": formatDate(lang, h.store.Today()),
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

// csv downloads the table view of one chart as the reader's Excel opens
// it (see analytics.Sheet): ";" and decimal commas in French, a BOM.
func (h *dashboardHandler) csv(c *fiber.Ctx) error { return h.download(c, "csv") }

// xlsx downloads the same table as a workbook, numbers as numbers.
func (h *dashboardHandler) xlsx(c *fiber.Ctx) error { return h.download(c, "xlsx") }

func (h *dashboardHandler) download(c *fiber.Ctx, format string) error {
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
	lang := langOf(c)
	sheet := ch.Table.Sheet(translate(lang, "export.low"), translate(lang, "export.high"))
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="digigap-%d-%d-%s.%s"`, g.campaign.ID, g.team, b.id, format))
	c.Set(fiber.HeaderCacheControl, "no-store")
	if format == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		return c.Send(sheet.WriteCSV(lang))
	}
	body, err := sheet.WriteXLSX()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(body)
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
