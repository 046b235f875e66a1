package analytics

import (
	"context"
	"math"

	"digigap/survey"
)

// comparable opens the view of an earlier campaign to compare v with: it
// must ask the same questionnaire (same key; channels are matched by id,
// so a later version that adds a channel still compares on the others).
func (e *Engine) comparable(ctx context.Context, scope survey.Scope, v *view, id int64) (*view, error) {
	if id == v.camp.ID {
		return nil, survey.FieldError(survey.EINVALID, "compare", "compare with another campaign than the one shown")
	}
	cmp, err := e.open(ctx, scope, id, "", true)
	if err != nil {
		return nil, err
	}
	if cmp.def.Key != v.def.Key {
		return nil, survey.FieldError(survey.EINVALID, "compare", "campaign %q asked questionnaire %q, not %q: only waves of the same questionnaire compare",
			cmp.camp.Name, cmp.def.Key, v.def.Key)
	}
	return cmp, nil
}

// compareRow adds to row the changes since cmp for group node i of v;
// channels are the row's channel ids. Two waves compare only on a group
// whose subtree froze alike in both (same teams) and of which both
// covered the same teams: otherwise the change would mix an org move, or
// a wave over two sectors with one over the bank, with a change of
// answers, and the difference of two groups of different people could
// isolate someone (issue 12, case 4). The frozen headcounts of the
// covered teams are kept: when they differ, the chart says the two waves
// speak of partly different people.
func compareRow(row *GapRow, channels []string, v, cmp *view, i int) {
	row.Changes = make([]Change, len(row.Cells))
	row.IndexChange = &Change{}
	j, ok := cmp.org.pos[v.org.ids[i]]
	if !ok || v.org.subtreeKey(i) != cmp.org.subtreeKey(j) || v.cov.keys[i] != cmp.cov.keys[j] || v.cov.keys[i] == 0 {
		return
	}
	row.Comparable = true
	row.Populations = [2]int{v.cov.headcount[i], cmp.cov.headcount[j]}
	if !row.Shown || !cmp.groups[j] {
		return
	}
	i = j
	old := cmp.total[i]
	before := make([]GapCell, len(row.Cells))
	for c := range row.Cells {
		j := channelIndex(cmp.layout.Channels, channels[c])
		if j < 0 || !cmp.channelShown(j)[i] {
			continue
		}
		base := cmp.layout.ChannelBase(j)
		before[c] = GapCell{Shown: true, ChannelFigures: designedFigures(old[base:base+survey.ChannelWidth], cmp.channelDesign(j)[i])}
		if row.Cells[c].Shown {
			row.Changes[c] = change(row.Cells[c].ChannelFigures, before[c].ChannelFigures)
		}
	}
	if was, shown := adoptionGapIndex(before); shown && row.IndexShown {
		row.IndexChange.Shown, row.IndexChange.Gap = true, row.Index-was
		wasFig := cmp.indexFigures(i, was)
		degenerateIndex(&wasFig, was, before)
		row.IndexChange.GapCI, row.IndexChange.HasIntervals = indexChangeInterval(row.Index, row.IndexFig, was, wasFig)
	}
}

// indexChangeInterval is the normal interval of the difference of two
// independent waves' indexes, now − was, from their design-adjusted
// standard errors (index.go): the waves are different samples, so their
// variances add. False when either index has no interval.
func indexChangeInterval(now float64, nf IndexFigures, was float64, wf IndexFigures) (Interval, bool) {
	if !nf.HasCI || !wf.HasCI {
		return Interval{}, false
	}
	d, se := now-was, math.Hypot(nf.SE, wf.SE)
	return Interval{clamp(d-z95*se, -2, d), clamp(d+z95*se, d, 2)}, true
}

// coverage is, per node of a campaign's org, what tells whether two
// waves covered the same teams of a group: a Zobrist key of the covered
// teams of its subtree (0: none) and their frozen headcount.
type coverage struct {
	keys      []uint64
	headcount []int
}

// loadCoverage reads which teams each compared campaign covered.
func (e *Engine) loadCoverage(ctx context.Context, vs ...*view) error {
	for _, v := range vs {
		c, err := e.st.Campaign(ctx, v.camp.ID)
		if err != nil {
			return err
		}
		v.cov = coverageOf(v.org, c.TeamIDs)
	}
	return nil
}

// coverageOf sums the covered teams of teamIDs up the org's tree, with
// each team's own frozen headcount (today's without a frozen tree).
func coverageOf(o *org, teamIDs []int64) coverage {
	cov := coverage{keys: make([]uint64, o.len()), headcount: make([]int, o.len())}
	own := make([]int, o.len())
	for i, id := range o.ids {
		own[i] = o.tree.Team(id).Headcount
	}
	if o.frozenHC != nil {
		copy(own, o.frozenHC)
		for i := range own {
			for _, ch := range o.children[i] {
				own[i] -= o.frozenHC[ch]
			}
		}
	}
	for _, id := range teamIDs {
		if i, ok := o.pos[id]; ok {
			cov.keys[i] ^= zobrist(int(id))
			cov.headcount[i] += own[i]
		}
	}
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		if p := o.parent[i]; p >= 0 {
			cov.keys[p] ^= cov.keys[i]
			cov.headcount[p] += cov.headcount[i]
		}
	}
	return cov
}

// channelIndex is the position of channel id, or -1.
func channelIndex(channels []string, id string) int {
	for j, c := range channels {
		if c == id {
			return j
		}
	}
	return -1
}

// change is now − before for one channel, with intervals.
func change(now, before ChannelFigures) Change {
	ch := Change{Shown: true, HasIntervals: true}
	ch.Gap, ch.GapCI = DifferenceOfEstimates(now.Gap, now.GapCI, before.Gap, before.GapCI)
	// Newcombe's hybrid score for independent samples on each wave's
	// design-adjusted Wilson limits (design.go), so clustering carries over.
	ch.P, ch.PCI = DifferenceOfEstimates(now.P, now.PCI, before.P, before.PCI)
	ch.Q, ch.QCI = DifferenceOfEstimates(now.Q, now.QCI, before.Q, before.QCI)
	ch.PCI = Interval{clamp(ch.PCI.Low, -1, ch.P), clamp(ch.PCI.High, ch.P, 1)}
	ch.QCI = Interval{clamp(ch.QCI.Low, -1, ch.Q), clamp(ch.QCI.High, ch.Q, 1)}
	return ch
}
