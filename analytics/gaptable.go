package analytics

import (
	"context"
	"runtime"
	"sync"

	"digigap/survey"
)

// GapQuery asks for the gap table of a campaign: the rows of Team (0: the
// caller's top teams) and its descendants down to Depth levels (negative:
// all), optionally with the change since campaign Compare.
type GapQuery struct {
	CampaignID int64
	TeamID     int64
	Depth      int
	CompareID  int64
}

// GapTable is teams × channels: the heatmap HR and managers read. Cells a
// rule withholds have Shown false and carry no figure.
type GapTable struct {
	Campaign *survey.Campaign
	Phase    string
	Live     bool // figures from live-results snapshots
	K        int
	Compare  *survey.Campaign
	Def      *survey.Definition
	Channels []string
	Rows     []GapRow
}

// GapRow is one group (a team and its descendants).
type GapRow struct {
	Team          *survey.Team
	Depth         int
	Shown         bool // the group's responses reach the threshold
	Responses     int
	Headcount     int
	Participation float64 // only when Shown and Headcount > 0
	IndexShown    bool
	Index         float64      // adoption gap index (a proportion)
	IndexFig      IndexFigures // its n and interval, when IndexShown (index.go)
	IndexChange   *Change      // change of the index since Compare (a conservative interval, trend.go)
	Cells         []GapCell
	Changes       []Change // per channel, since Compare; nil without a comparison
	// Comparable says the group's subtree froze alike in both campaigns
	// and both covered the same teams of it (trend.go); changes are only
	// computed then. Populations are then the frozen headcounts of those
	// teams in this campaign and in Compare.
	Comparable  bool
	Populations [2]int
}

// SamePopulation says the compared waves covered the same teams with the
// same headcount: otherwise a change also reflects who was asked.
func (r *GapRow) SamePopulation() bool {
	return r.Comparable && r.Populations[0] == r.Populations[1]
}

// GapCell is one group's figures for one channel. It holds no pointer, so
// the tens of thousands of cells of a large table cost the garbage
// collector nothing.
type GapCell struct {
	Shown bool
	// Unanimous says a withheld cell is withheld for the campaign's
	// unanimous-cell policy (unanimous.go), not for being under k.
	Unanimous bool
	ChannelFigures
}

// Change is the difference between this campaign and Compare: of the Gap
// (MOVER from the two Newcombe intervals) and of P and Q (Newcombe's
// hybrid score for independent proportions). Shown is false when either
// campaign withholds the figure.
type Change struct {
	Shown        bool
	Gap          float64
	GapCI        Interval
	P, Q         float64
	PCI, QCI     Interval
	HasIntervals bool
}

// GapTable computes the gap table for scope.
func (e *Engine) GapTable(ctx context.Context, scope survey.Scope, q GapQuery) (*GapTable, error) {
	v, err := e.open(ctx, scope, q.CampaignID, "", true)
	if err != nil {
		return nil, err
	}
	var cmp *view
	if q.CompareID != 0 {
		if cmp, err = e.comparable(ctx, scope, v, q.CompareID); err != nil {
			return nil, err
		}
		if err = e.loadCoverage(ctx, v, cmp); err != nil {
			return nil, err
		}
	}
	starts, err := v.starts(q.TeamID)
	if err != nil {
		return nil, err
	}
	t := &GapTable{Campaign: v.camp, Phase: v.phase, Live: v.snapshot, K: int(v.k), Def: v.def, Channels: v.layout.Channels}
	if cmp != nil {
		t.Compare = cmp.camp
	}
	nodes, levels := v.listing(starts, q.Depth)
	hc := v.population()
	shown := make([][]bool, len(t.Channels))
	for c := range t.Channels {
		shown[c] = v.channelShown(c)
		v.channelDesign(c) // computed once, before the rows are filled in parallel
	}
	v.indexDesign()
	if cmp != nil {
		for c := range cmp.layout.Channels {
			cmp.channelShown(c) // decided once, before the rows are filled in parallel
			cmp.channelDesign(c)
		}
		cmp.indexDesign()
	}
	t.Rows = make([]GapRow, len(nodes))
	cells := make([]GapCell, len(nodes)*len(t.Channels))
	inParallel(len(nodes), func(from, to int) {
		for r := from; r < to; r++ {
			i, row := nodes[r], &t.Rows[r]
			row.Team, row.Depth, row.Headcount = v.org.tree.Team(v.org.ids[i]), levels[r], hc[i]
			row.Cells = cells[r*len(t.Channels) : (r+1)*len(t.Channels)]
			v.fillRow(row, i, shown)
			if cmp != nil {
				compareRow(row, t.Channels, v, cmp, i)
			}
		}
	})
	return t, nil
}

// parallelMin is the number of rows from which filling and writing a
// table is split across the machine's cores.
const parallelMin = 512

// inParallel runs fn over [0,n) in one contiguous part per core (at most
// 4), or in the calling goroutine for small n.
func inParallel(n int, fn func(from, to int)) {
	parts := min(runtime.GOMAXPROCS(0), 4)
	if n < parallelMin || parts < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(n*p/parts, n*(p+1)/parts)
		}()
	}
	wg.Wait()
}

// fillRow computes one group's figures where the rules allow.
func (v *view) fillRow(row *GapRow, i int, shown [][]bool) {
	tot := v.total[i]
	row.Shown = v.groups[i]
	if !row.Shown {
		return
	}
	row.Responses = int(tot[survey.CountResponses])
	if row.Headcount > 0 {
		row.Participation = float64(row.Responses) / float64(row.Headcount)
	}
	for c := range row.Cells {
		if shown[c][i] {
			base := v.layout.ChannelBase(c)
			row.Cells[c] = GapCell{Shown: true, ChannelFigures: designedFigures(tot[base:base+survey.ChannelWidth], v.channelDesign(c)[i])}
		} else if _, u := v.shownUnanimous(channelFilter(v.layout.Channels[c])); u != nil && u[i] {
			row.Cells[c].Unanimous = true
		}
	}
	row.Index, row.IndexShown = adoptionGapIndex(row.Cells)
	if row.IndexShown {
		row.IndexFig = v.indexFigures(i, row.Index)
		degenerateIndex(&row.IndexFig, row.Index, row.Cells)
	}
}
