package api

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// heatmapDepth is how many levels below the group the heatmap shows; the
// ranking goes down to the teams, and drilling down shows the rest.
const heatmapDepth = 2

// groupData gathers, once per request, what the charts of one campaign and
// group are drawn from. Every engine call takes scope: the one place the
// caller's access applies.
type groupData struct {
	ctx      context.Context
	engine   *analytics.Engine
	store    *survey.Store
	scope    survey.Scope
	campaign *survey.Campaign
	team     int64
	loc      analytics.Locale

	part    *analytics.Participation // the group and its children: checked first
	gap     *analytics.GapTable
	summary *analytics.GroupSummary
}

// groupSummary is the group's own figures, computed once.
func (g *groupData) groupSummary() (*analytics.GroupSummary, error) {
	if g.summary != nil {
		return g.summary, nil
	}
	s, err := g.engine.Summary(g.ctx, g.scope, g.campaign.ID, g.team)
	g.summary = s
	return s, err
}

// gapTable is the group's rows down to its teams, computed once.
func (g *groupData) gapTable() (*analytics.GapTable, error) {
	if g.gap != nil {
		return g.gap, nil
	}
	t, err := g.engine.GapTable(g.ctx, g.scope, analytics.GapQuery{CampaignID: g.campaign.ID, TeamID: g.team, Depth: -1})
	g.gap = t
	return t, err
}

// chartBuilder draws one chart of a group page.
type chartBuilder struct {
	id string
	// figures: the chart shows answers' figures, not only participation.
	figures bool
	build   func(g *groupData) (analytics.Chart, error)
}

// chartBuilders are the group page's charts, in page order.
var chartBuilders = []chartBuilder{
	{"heatmap", true, func(g *groupData) (analytics.Chart, error) {
		t, err := g.gapTable()
		if err != nil {
			return analytics.Chart{}, err
		}
		return analytics.HeatmapChart(t, heatmapDepth, g.loc), nil
	}},
	{"channels", true, func(g *groupData) (analytics.Chart, error) {
		s, err := g.groupSummary()
		if err != nil {
			return analytics.Chart{}, err
		}
		refs, err := g.store.ReferenceValues(g.ctx)
		return analytics.ChannelsChart(s, refs, g.loc), err
	}},
	{"ranking", true, func(g *groupData) (analytics.Chart, error) {
		t, err := g.gapTable()
		if err != nil {
			return analytics.Chart{}, err
		}
		return analytics.RankingChart(t, g.loc), nil
	}},
	{"trend", true, func(g *groupData) (analytics.Chart, error) {
		waves, change, err := g.trend()
		if err != nil {
			return analytics.Chart{}, err
		}
		return analytics.TrendChart(waves, change, g.loc), nil
	}},
	{"barriers", true, func(g *groupData) (analytics.Chart, error) {
		b, err := g.engine.Barriers(g.ctx, g.scope, g.campaign.ID, g.team)
		if err != nil {
			return analytics.Chart{}, err
		}
		return analytics.BarriersChart(b, g.loc), nil
	}},
	{"culture", true, func(g *groupData) (analytics.Chart, error) {
		cu, err := g.engine.Culture(g.ctx, g.scope, g.campaign.ID, g.team)
		if err != nil {
			return analytics.Chart{}, err
		}
		return analytics.CultureChart(cu, g.loc), nil
	}},
	{"participation", false, func(g *groupData) (analytics.Chart, error) {
		return analytics.ParticipationChart(g.part, g.loc), nil
	}},
	{"allchannels", true, func(g *groupData) (analytics.Chart, error) {
		s, err := g.groupSummary()
		if err != nil {
			return analytics.Chart{}, err
		}
		refs, err := g.store.ReferenceValues(g.ctx)
		return analytics.AllChannelsChart(s, refs, g.loc), err
	}},
}

func builderOf(id string) (chartBuilder, bool) {
	for _, b := range chartBuilders {
		if b.id == id {
			return b, true
		}
	}
	return chartBuilder{}, false
}

// chartView is a chart as the page template needs it.
type chartView struct {
	analytics.Chart
	Spec    template.JS // encoding/json output: safe inside <script type="application/json">
	CSV     string
	XLSX    string
	LiveURL string // polled while the campaign is open (participation)
}

func (g *groupData) view(ch analytics.Chart) (chartView, error) {
	ch.SetLinks(func(id int64) string { return groupURL(g.campaign.ID, id) })
	v := chartView{Chart: ch, CSV: groupURL(g.campaign.ID, g.team) + "/csv/" + ch.ID, XLSX: groupURL(g.campaign.ID, g.team) + "/xlsx/" + ch.ID}
	if !ch.Drawn() {
		return v, nil
	}
	spec, err := ch.Spec()
	v.Spec = template.JS(spec)
	return v, err
}

// figuresHidden tells a group whose figures wait for the campaign to close
// (the engine refuses them with EFORBIDDEN once scope was checked).
func figuresHidden(err error) bool {
	return survey.ErrorCode(err) == survey.EFORBIDDEN
}

// charts builds every chart of the page. While a campaign's figures are
// not available to the caller, only participation is drawn.
func (g *groupData) charts() (views []chartView, hidden bool, err error) {
	for _, b := range chartBuilders {
		if hidden && b.figures {
			continue
		}
		ch, err := b.build(g)
		if err != nil && b.figures && figuresHidden(err) {
			hidden = true
			continue
		}
		if err != nil {
			return nil, false, err
		}
		v, err := g.view(ch)
		if err != nil {
			return nil, false, err
		}
		if ch.ID == "participation" && g.campaign.Phase(g.store.Today()) == survey.PhaseOpen {
			v.LiveURL = groupURL(g.campaign.ID, g.team) + "/live/participation"
		}
		views = append(views, v)
	}
	return views, hidden, nil
}

// newGroupData reads the route's campaign and team, and the group's
// participation, whose engine call checks the team against the caller's
// scope before any figure is asked for.
func (h *dashboardHandler) newGroupData(c *fiber.Ctx) (*groupData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	team, err := idParam(c, "team")
	if err != nil {
		return nil, err
	}
	camp, err := h.store.Campaign(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	g := &groupData{ctx: c.UserContext(), engine: h.engine, store: h.store, scope: callerScope(c),
		campaign: camp, team: team, loc: locale(c)}
	g.part, err = h.engine.Participation(g.ctx, g.scope, id, team, 1)
	return g, err
}

// chartData is what the dashboard/chart template draws one chart from:
// the chart and what it needs of its page.
func chartData(page fiber.Map, v chartView) fiber.Map {
	camp, _ := page["Campaign"].(*survey.Campaign)
	team, _ := page["Team"].(*survey.Team)
	m := fiber.Map{"Lang": page["Lang"], "Nonce": page["Nonce"], "Chart": v.Chart, "Spec": v.Spec, "CSV": v.CSV, "XLSX": v.XLSX, "LiveURL": v.LiveURL}
	link, _ := page["TeamLink"].(func(int64) string) // the branch page links to branch pages
	switch {
	case link != nil && team != nil:
		m["TeamID"], m["Link"] = team.ID, link
	case camp != nil && team != nil:
		m["TeamID"] = team.ID
		m["Link"] = func(id int64) string { return groupURL(camp.ID, id) }
	}
	return m
}
