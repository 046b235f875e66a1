package api

import (
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// teamURL is a branch page: a team's staff gap, client coverage and
// actions on one page, across campaigns.
func teamURL(team int64) string { return fmt.Sprintf("%s/teams/%d", dashboardPrefix, team) }

// teamPage gathers what one branch page shows, for the caller's scope.
type teamPage struct {
	Team     *survey.Team
	Latest   *survey.Campaign        // the latest closed campaign covering the team, if any
	Summary  *analytics.GroupSummary // its figures for the team's group
	Coverage []survey.CoverageFigures
	Actions  []actionRow
	Charts   []chartView

	GroupURL, IndexText string     // the latest campaign's group page; the adoption gap index
	StaffRows           []staffRow // the team's Gap per channel in that campaign
}

// staffRow is one channel's Gap of the team's group, as text.
type staffRow struct {
	Channel, Text string
	Withheld      bool
}

// latestClosed is the newest campaign covering team that is closed.
func latestClosed(cs []*survey.Campaign, team int64, h *dashboardHandler) *survey.Campaign {
	var best *survey.Campaign
	for _, c := range cs {
		if c.Covers(team) && c.Phase(h.store.Today()) == survey.PhaseClosed && (best == nil || analytics.ClosedOn(c, h.store.Location()) > analytics.ClosedOn(best, h.store.Location())) {
			best = c
		}
	}
	return best
}

// team is the branch page: the team's staff gap in the latest closed
// campaign (linking to its group page), its client coverage, the scatter
// of its branches and its actions with their before and after Gaps.
func (h *dashboardHandler) team(c *fiber.Ctx) error {
	id, err := idParam(c, "team")
	if err != nil {
		return err
	}
	return h.teamView(c, fiber.StatusOK, id, newActionForm())
}

// teamView draws the branch page with the action forms in state form
// (empty, or refused with their messages).
func (h *dashboardHandler) teamView(c *fiber.Ctx, status int, id int64, form *actionForm) error {
	ctx, scope, loc := c.UserContext(), callerScope(c), locale(c)
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	if err := scope.Check(tree, id); err != nil {
		return err
	}
	p := &teamPage{Team: tree.Team(id)}
	rows, err := h.store.CoverageRows(ctx)
	if err != nil {
		return err
	}
	p.Coverage = survey.RollupCoverage(tree, rows, id)
	if err := h.staffFigures(c, p); err != nil {
		return err
	}
	if p.Actions, err = h.actionRows(c, id); err != nil {
		return err
	}
	charts := []analytics.Chart{analytics.CoverageTrendChart(p.Team, p.Coverage, loc)}
	if len(p.Coverage) > 0 { // coverage by child only where the children report it (a sector's branches)
		period := p.Coverage[len(p.Coverage)-1].Period
		if children := survey.CoverageByChild(tree, rows, id, period); len(children) > 0 {
			charts = append(charts, analytics.CoverageBranchesChart(children, period, loc))
		}
	}
	for _, ch := range append(charts, p.scatter(h, c, tree, rows)) {
		v, err := teamChartView(ch)
		if err != nil {
			return err
		}
		p.Charts = append(p.Charts, v)
	}
	if form.Channels, err = h.channelChoices(c); err != nil {
		return err
	}
	return render(c, status, "dashboard/team", p.Team.Name, fiber.Map{
		"Page": p, "Team": p.Team, "Crumbs": teamCrumbs(c, tree, scope, id), "Children": teamChildren(tree, scope, id),
		"TeamLink": teamURL, "Styles": dashboardStyles(), "Scripts": dashboardScripts(),
		"Form": form, "CSRF": csrfToken(c), "Statuses": survey.ActionStatuses, "Done": doneMessage(c),
		"PrintedOn": formatDate(langOf(c), h.store.Today()),
	})
}

// staffFigures reads the team's summary in the latest closed campaign.
func (h *dashboardHandler) staffFigures(c *fiber.Ctx, p *teamPage) error {
	cs, err := h.store.VisibleCampaigns(c.UserContext(), callerScope(c))
	if err != nil {
		return err
	}
	if p.Latest = latestClosed(cs, p.Team.ID, h); p.Latest == nil {
		return nil
	}
	if p.Summary, err = h.engine.Summary(c.UserContext(), callerScope(c), p.Latest.ID, p.Team.ID); err != nil {
		return err
	}
	s, l := p.Summary, locale(c)
	p.GroupURL = groupURL(p.Latest.ID, p.Team.ID)
	p.IndexText = translate(l.Lang, "chart.withheld_short", s.K)
	if s.Row.IndexShown {
		p.IndexText = l.PP(s.Row.Index)
		if f := s.Row.IndexFig; f.HasCI { // its interval and n (analytics/index.go)
			p.IndexText = l.T("chart.tip.index_value", l.PP(s.Row.Index), l.CI(f.CI, true), f.N)
		}
	}
	for i, ch := range s.Def.Channels {
		r := staffRow{Channel: ch.Label.In(l.Lang), Withheld: i >= len(s.Row.Cells) || !s.Row.Cells[i].Shown}
		if r.Withheld {
			r.Text = translate(l.Lang, "chart.withheld_short", s.K)
		} else {
			f := s.Row.Cells[i]
			r.Text = translate(l.Lang, "team.staff.cell", l.PP(f.Gap), l.CI(f.GapCI, true), l.Pct(f.P), l.Pct(f.Q))
		}
		p.StaffRows = append(p.StaffRows, r)
	}
	return nil
}

// scatter is the branches' scatter from the latest closed campaign. A
// branch alone would be two dots: its page shows it among the branches of
// the group above it, when the reader may read that group, highlighted.
// Every figure is the engine's, shown only where it decides so.
func (p *teamPage) scatter(h *dashboardHandler, c *fiber.Ctx, tree *survey.Tree, rows []survey.CoverageRow) analytics.Chart {
	var s *analytics.Scatter
	if p.Latest != nil && len(rows) > 0 {
		ctx, scope := c.UserContext(), callerScope(c)
		s, _ = h.engine.BranchScatter(ctx, scope, p.Latest.ID, p.Team.ID, rows)
		if parent := p.Team.ParentID; (s == nil || len(s.Points) <= 1) && parent != nil && scope.Check(tree, *parent) == nil {
			if wider, err := h.engine.BranchScatter(ctx, scope, p.Latest.ID, *parent, rows); err == nil && len(wider.Points) > 1 {
				s = wider
			}
		}
		if s != nil {
			s.Highlight = p.Team.ID
		}
	}
	return analytics.ScatterChart(s, locale(c))
}

func teamChartView(ch analytics.Chart) (chartView, error) {
	ch.SetLinks(teamURL)
	v := chartView{Chart: ch}
	if !ch.Drawn() {
		return v, nil
	}
	spec, err := ch.Spec()
	v.Spec = template.JS(spec)
	return v, err
}

// teamCrumbs lead from the dashboard to the team through the teams above
// it the caller may open.
func teamCrumbs(c *fiber.Ctx, tree *survey.Tree, scope survey.Scope, id int64) []crumb {
	out := []crumb{{translate(langOf(c), "dash.title"), dashboardPrefix + "/"}}
	for _, t := range tree.Path(id) {
		if scope.Allows(tree, t.ID) {
			out = append(out, crumb{t.Name, teamURL(t.ID)})
		}
	}
	out[len(out)-1].URL = ""
	return out
}

func teamChildren(tree *survey.Tree, scope survey.Scope, id int64) []treeNode {
	var out []treeNode
	for _, ch := range tree.Children(id) {
		if scope.Allows(tree, ch) {
			out = append(out, treeNode{Name: tree.Team(ch).Name, URL: teamURL(ch)})
		}
	}
	return out
}
