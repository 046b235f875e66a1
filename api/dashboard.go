package api

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/static"
	"digigap/survey"
)

// dashboardHandler serves the pages HR and managers read: campaigns, the
// org tree of a campaign, and one page of charts per campaign and group.
// Every figure comes from the analytics engine, called with the caller's
// scope (callerScope), so what a manager sees is decided in one place.
type dashboardHandler struct {
	store  *survey.Store
	engine *analytics.Engine
}

// dashboardPrefix is where the dashboard pages live.
const dashboardPrefix = "/dashboard"

// registerDashboardRoutes adds the dashboard pages as one group, so that
// access control can guard them all at once. Until accounts exist (issue
// #6) the placeholder requireHR gives every caller HR's scope.
func registerDashboardRoutes(r *routes, d Deps) {
	h := &dashboardHandler{store: d.Store, engine: analytics.New(d.Store)}
	g := r.Pages
	g.Get(dashboardPrefix+"/", h.campaigns)
	g.Get(dashboardPrefix+"/campaigns/:id", h.campaign)
	g.Get(dashboardPrefix+"/campaigns/:id/teams/:team", h.group)
	g.Get(dashboardPrefix+"/campaigns/:id/teams/:team/csv/:chart", h.csv)
	g.Get(dashboardPrefix+"/campaigns/:id/teams/:team/xlsx/:chart", h.xlsx)
	g.Get(dashboardPrefix+"/campaigns/:id/teams/:team/live/participation", h.liveParticipation)
	g.Get(dashboardPrefix+"/teams/:team", h.team)
	g.Post(dashboardPrefix+"/teams/:team/actions", h.addAction)
	g.Post(dashboardPrefix+"/teams/:team/actions/:id/status", h.setActionStatus)
}

// campaignURL and groupURL build the dashboard's links in one place.
func campaignURL(id int64) string { return fmt.Sprintf("%s/campaigns/%d", dashboardPrefix, id) }

func groupURL(campaign, team int64) string {
	return fmt.Sprintf("%s/campaigns/%d/teams/%d", dashboardPrefix, campaign, team)
}

// dashboardScripts are the scripts chart pages load, from this host only:
// the vendored ECharts (go-echarts' AssetsHost is static.EChartsHost) and
// the small loader that draws every chart from its JSON block.
func dashboardScripts() []string {
	return []string{static.AssetURL(static.EChartsHost + "echarts.min.js"), static.AssetURL("js/charts.js")}
}

func dashboardStyles() []string { return []string{static.AssetURL("css/dashboard.css")} }

// locale is the chart builders' view of the page language.
func locale(c *fiber.Ctx) analytics.Locale {
	lang := langOf(c)
	return analytics.Locale{Lang: lang, T: func(key string, args ...any) string { return translate(lang, key, args...) }}
}

// campaigns lists the campaigns, newest first.
func (h *dashboardHandler) campaigns(c *fiber.Ctx) error {
	cs, err := h.store.VisibleCampaigns(c.UserContext(), callerScope(c))
	if err != nil {
		return err
	}
	type row struct {
		survey.Campaign
		Phase, URL string
	}
	rows := make([]row, len(cs))
	for i := range cs {
		rows[i] = row{Campaign: *cs[i], Phase: cs[i].Phase(h.store.Today()), URL: campaignURL(cs[i].ID)}
	}
	lang := langOf(c)
	return render(c, fiber.StatusOK, "dashboard/index", translate(lang, "dash.title"), fiber.Map{
		"Campaigns": rows, "Styles": dashboardStyles(),
	})
}

// campaign shows the org tree of a campaign within the caller's scope: the
// step between choosing a wave and reading a group's charts.
func (h *dashboardHandler) campaign(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	camp, err := h.store.VisibleCampaign(c.UserContext(), callerScope(c), id)
	if err != nil {
		return err
	}
	p, err := h.engine.Participation(c.UserContext(), callerScope(c), id, 0, 3)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, "dashboard/campaign", camp.Name, fiber.Map{
		"Campaign": camp, "Phase": camp.Phase(h.store.Today()), "Tree": orgTree(p, id),
		"Crumbs": []crumb{{translate(langOf(c), "dash.title"), dashboardPrefix + "/"}, {Name: camp.Name}},
		"Styles": dashboardStyles(),
	})
}

// crumb is one step of the breadcrumbs; the last has no URL.
type crumb struct{ Name, URL string }

// treeNode is one team of the org tree list, with its participation.
type treeNode struct {
	Name, URL, Rate string
	Depth           int
	Over            bool // rate above 100 %: the frozen headcount was out of date
}

// orgTree flattens the participation listing into the campaign page's tree.
func orgTree(p *analytics.Participation, campaign int64) []treeNode {
	out := make([]treeNode, len(p.Rows))
	for i, r := range p.Rows {
		n := treeNode{Name: r.Team.Name, URL: groupURL(campaign, r.Team.ID), Depth: r.Depth}
		if r.Shown && r.Headcount > 0 {
			n.Rate = strconv.Itoa(int(r.Rate*100+0.5)) + "\u00a0%"
			n.Over = r.Over
		}
		out[i] = n
	}
	return out
}
