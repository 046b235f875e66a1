package analytics

import (
	"context"

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
// whose subtree froze alike in both (same teams): otherwise the change
// would mix an org move with a change of answers, and the difference of
// two groups of different people could isolate someone (issue 12, case 4).
func compareRow(row *GapRow, channels []string, v, cmp *view, i int) {
	row.Changes = make([]Change, len(row.Cells))
	row.IndexChange = &Change{}
	j, ok := cmp.org.pos[v.org.ids[i]]
	if !ok || v.org.subtreeKey(i) != cmp.org.subtreeKey(j) {
		return
	}
	row.Comparable = true
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
		row.IndexChange.GapCI, row.IndexChange.HasIntervals = indexChangeInterval(row.Changes)
	}
}

// indexChangeInterval is a conservative interval of the index's change:
// the mean of the channels' change bounds (each cluster-adjusted, from
// the two waves' design-adjusted intervals), since the standard error of
// a mean of correlated estimates is at most the mean of theirs. It is
// derived from shown figures only; false when a channel's change is not.
func indexChangeInterval(changes []Change) (Interval, bool) {
	var iv Interval
	for _, c := range changes {
		if !c.Shown {
			return Interval{}, false
		}
		iv.Low += c.GapCI.Low / float64(len(changes))
		iv.High += c.GapCI.High / float64(len(changes))
	}
	return iv, len(changes) > 0
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
