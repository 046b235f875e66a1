package analytics

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm"

	"digigap/survey"
)

// Engine computes the figures the API and the exports serve. Every figure
// leaves through a view, the one place where access (phase, scope, live
// results) and the anonymity threshold are applied.
type Engine struct {
	st *survey.Store
	// counters reads one campaign's counters for a band; the benchmarks
	// swap it for a GROUP BY over the raw answers, their baseline.
	counters countersFunc
	orgs     orgCache
	frozen   sync.Map // campaign id → *org, its frozen tree (immutable)
	decided  decisions
}

// countersFunc calls fn with each team's counters of a campaign and band.
type countersFunc func(ctx context.Context, campaignID int64, def *survey.Definition, band string, shown bool, fn func(team int64, v []int64)) error

// New returns an engine reading st.
func New(st *survey.Store) *Engine { return &Engine{st: st, counters: st.EachCounters} }

// view is one campaign's counters for one band, rolled up the org tree,
// with the groups the caller may see decided once.
type view struct {
	camp     *survey.Campaign
	def      *survey.Definition
	layout   *survey.CounterLayout
	phase    string
	figures  bool // answers' figures may be shown; else participation only
	snapshot bool // figures come from the live-results snapshots
	k        int64
	org      *org
	scope    survey.Scope
	total    [][]int64 // per node: counters summed over its subtree
	dec      disclosure
	groups   []bool     // per node: the group (its responses) may be shown
	channels [][]bool   // per channel, per node: the channel's figures may be shown
	designs  [][]Design // per channel, per node: what its intervals account for (design.go)
	noFPC    bool       // a band's view: its population is unknown
	// idxDesigns is, per node, the design of the index's interval (index.go).
	idxDesigns []Design
	cov        coverage       // the teams the campaign covered, when compared (trend.go)
	covered    map[int64]bool // the teams the campaign covered (population.go)
	pop        []int          // per node: population.go, computed on first use
	// shownU and unanimousU cache unanimous.go's decision per filter.
	shownU, unanimousU map[string][]bool
}

// access decides what scope may read of campaign c in phase: a closed
// campaign's figures; while it is open, HR sees figures only with live
// results (from the snapshots, which move in steps of k responses), and
// everyone else participation only.
func access(scope survey.Scope, c *survey.Campaign, phase string) (figures, snapshot bool) {
	if phase == survey.PhaseClosed {
		return true, false
	}
	if scope.All && c.LiveResults && phase == survey.PhaseOpen {
		return true, true
	}
	return false, false
}

// loadCampaign reads a campaign without its team list (thousands of ids a
// read does not need) and its definition.
func (e *Engine) loadCampaign(ctx context.Context, id int64) (*survey.Campaign, *survey.Definition, error) {
	var c survey.Campaign
	if err := e.st.ReadDB().WithContext(ctx).Take(&c, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, survey.Errorf(survey.ENOTFOUND, "campaign %d not found", id)
		}
		return nil, nil, err
	}
	def, err := e.st.Definition(ctx, c.QuestionnaireID)
	return &c, def, err
}

// open builds the view of campaign for scope and band ("" for everyone).
// needFigures refuses (EFORBIDDEN) a caller who may see participation only.
func (e *Engine) open(ctx context.Context, scope survey.Scope, campaignID int64, band string, needFigures bool) (*view, error) {
	c, def, err := e.loadCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if err := e.checkCampaignScope(ctx, scope, c.ID); err != nil {
		return nil, err
	}
	v := &view{camp: c, def: def, layout: survey.LayoutOf(def), phase: c.Phase(e.st.Today()), k: int64(c.MinGroup), scope: scope}
	v.figures, v.snapshot = access(scope, c, v.phase)
	if needFigures && !v.figures {
		return nil, survey.Errorf(survey.EFORBIDDEN, "campaign %q is %s: its figures appear when it closes; only participation is available until then", c.Name, v.phase)
	}
	if band != "" && v.snapshot {
		return nil, survey.Errorf(survey.EFORBIDDEN, "breakdowns by profile band appear when campaign %q closes", c.Name)
	}
	v.snapshot = v.snapshot && needFigures
	v.figures = v.figures && (needFigures || v.phase == survey.PhaseClosed)
	if v.org, err = e.campaignOrg(ctx, c); err != nil {
		return nil, err
	}
	if v.covered, err = e.coveredTeams(ctx, c.ID); err != nil {
		return nil, err
	}
	read := e.counters
	switch {
	case v.phase == survey.PhaseClosed: // answers still mixing when it closed by date count now
		if err := e.st.SettleCampaign(ctx, c); err != nil {
			return nil, err
		}
	case !needFigures && band == "": // participation counts answers still in the mixing stage
		if read, err = e.withPending(ctx, c.ID, def); err != nil {
			return nil, err
		}
	}
	if v.total, err = v.org.rollUp(ctx, read, c.ID, def, band, v.snapshot && needFigures); err != nil {
		return nil, err
	}
	if v.dec, err = e.disclosureOf(ctx, v); err != nil {
		return nil, err
	}
	v.groups = v.dec.shown(filterAll)
	return v, nil
}

// withPending is e.counters plus, in the response count of each team, its
// answers still in the mixing stage: participation moves with every
// answer, figures only when answers leave the stage in batches of k.
func (e *Engine) withPending(ctx context.Context, campaignID int64, def *survey.Definition) (countersFunc, error) {
	pending, err := e.st.PendingByTeam(ctx, campaignID)
	if err != nil || len(pending) == 0 {
		return e.counters, err
	}
	width := survey.LayoutOf(def).Len
	return func(ctx context.Context, campaignID int64, def *survey.Definition, band string, shown bool, fn func(team int64, v []int64)) error {
		seen := map[int64]bool{}
		err := e.counters(ctx, campaignID, def, band, shown, func(team int64, v []int64) {
			seen[team] = true
			v[survey.CountResponses] += int64(pending[team])
			fn(team, v)
		})
		for team, n := range pending {
			if !seen[team] && err == nil {
				v := make([]int64, width)
				v[survey.CountResponses] = int64(n)
				fn(team, v)
			}
		}
		return err
	}, nil
}

// measure returns counter pos of every group, the n a rule applies to.
func (v *view) measure(pos int) []int64 {
	n := make([]int64, v.org.len())
	for i, t := range v.total {
		n[i] = t[pos]
	}
	return n
}

// channelShown reads, once per channel, where its figures may be shown.
func (v *view) channelShown(ch int) []bool {
	if v.channels == nil {
		v.channels = make([][]bool, len(v.layout.Channels))
	}
	if v.channels[ch] == nil {
		v.channels[ch], _ = v.shownUnanimous(channelFilter(v.layout.Channels[ch]))
	}
	return v.channels[ch]
}

// channelDesign reads, once per channel, the Design of its figures per node.
func (v *view) channelDesign(ch int) []Design {
	if v.designs == nil {
		v.designs = make([][]Design, len(v.layout.Channels))
	}
	if v.designs[ch] == nil {
		v.designs[ch] = v.channelDesigns(ch, v.channelShown(ch))
	}
	return v.designs[ch]
}

// node returns the node of team id after checking the caller's scope.
func (v *view) node(id int64) (int, error) {
	if err := v.scope.Check(v.org.tree, id); err != nil {
		return 0, err
	}
	return v.org.pos[id], nil
}

// starts are the nodes a listing begins from: team (if not 0) or the
// roots of the caller's scope.
func (v *view) starts(team int64) ([]int, error) {
	if team != 0 {
		i, err := v.node(team)
		return []int{i}, err
	}
	var out []int
	for _, id := range v.scope.Roots(v.org.tree) {
		out = append(out, v.org.pos[id])
	}
	return out, nil
}

// listing returns starts and their descendants down to depth levels below
// (depth < 0: all), parents before children.
func (v *view) listing(starts []int, depth int) (nodes, levels []int) {
	var walk func(i, d int)
	walk = func(i, d int) {
		nodes, levels = append(nodes, i), append(levels, d)
		if depth >= 0 && d >= depth {
			return
		}
		for _, c := range v.org.children[i] {
			walk(c, d+1)
		}
	}
	for _, s := range starts {
		walk(s, 0)
	}
	return nodes, levels
}
