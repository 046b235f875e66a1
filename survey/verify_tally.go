package survey

import (
	"fmt"
	"slices"
)

// tallyAnswers adds one respondent's decoded answers to v. It restates
// the counter definitions from the questionnaire itself (items, options,
// the blocked flag) rather than from code offsets, so that Verify checks
// TallyCodes instead of repeating it.
func tallyAnswers(d *Definition, l *CounterLayout, v []int64, a Answers) {
	v[CountResponses]++
	answeredAll, everyPrivate, everyWork, gap := true, true, true, false
	onlyPrivate, onlyWork, answered := 0, 0, 0
	for i, ch := range d.ChannelIDs() {
		base := l.ChannelBase(i)
		privItem, workItem := d.FrequencyItems(ch)
		if privItem == nil || workItem == nil {
			answeredAll = false
			continue
		}
		p, okP := a[privItem.ID].(int)
		w, okW := a[workItem.ID].(int)
		if !okP || !okW {
			answeredAll = false
			continue
		}
		if isBlocked(d, workItem, w) {
			v[base+ChBlocked]++
			w = 0
		}
		regularP, regularW := p >= RegularFrequency, w >= RegularFrequency
		answered++
		switch {
		case regularP && regularW:
			v[base+ChA]++
		case regularP:
			v[base+ChB]++
			gap = true
			onlyPrivate++
		case regularW:
			v[base+ChC]++
			onlyWork++
		default:
			v[base+ChD]++
		}
		v[base+ChSumPrivate] += int64(p)
		v[base+ChSumWork] += int64(w)
		everyPrivate = everyPrivate && p > 0
		everyWork = everyWork && w > 0
	}
	if answeredAll {
		v[CountAllAnswered]++
		v[CountAllPrivate] += b2i(everyPrivate)
		v[CountAllWork] += b2i(everyWork)
	}
	v[CountGapRespondents] += b2i(gap)
	l.addIndexScore(v, onlyPrivate, onlyWork, answered)
	for _, b := range l.Barriers {
		chosen, _ := a[b.Item.ID].([]int)
		if len(chosen) > 0 {
			v[b.Answered]++
			v[b.AnsweredGap] += b2i(gap)
		}
		for i, o := range b.Options {
			if slices.Contains(chosen, o.Value) {
				v[b.Base+2*i]++
				v[b.Base+2*i+1] += b2i(gap)
			}
		}
	}
	for _, c := range l.Culture {
		if x, ok := a[c.Item.ID].(int); ok {
			v[c.Base+slices.IndexFunc(c.Options, func(o Option) bool { return o.Value == x })]++
		}
	}
}

func isBlocked(d *Definition, it *Item, value int) bool {
	return slices.ContainsFunc(d.ItemOptions(it), func(o Option) bool { return o.Blocked && o.Value == value })
}

// answerBands lists the counter bands of decoded answers: "" and one per
// answered profile item.
func answerBands(d *Definition, a Answers) []string {
	bands := []string{""}
	for _, it := range d.ItemsByRole(RoleProfile) {
		if x, ok := a[it.ID].(int); ok {
			bands = append(bands, Band(it.ID, x))
		}
	}
	return bands
}

// Name describes counter position i in words a verify report can show.
func (l *CounterLayout) Name(i int) string {
	header := []string{"responses", "all_answered", "all_private", "all_work", "gap_respondents"}
	cells := []string{"a", "b", "c", "d", "blocked", "sum_private", "sum_work"}
	switch {
	case i < countHeader:
		return header[i]
	case i < countHeader+len(l.Channels)*ChannelWidth:
		j := i - countHeader
		return l.Channels[j/ChannelWidth] + "." + cells[j%ChannelWidth]
	}
	for _, b := range l.Barriers {
		switch {
		case i == b.Answered:
			return b.Item.ID + ".answered"
		case i == b.AnsweredGap:
			return b.Item.ID + ".answered_gap"
		case i >= b.Base && i < b.Base+2*len(b.Options):
			suffix := ""
			if (i-b.Base)%2 == 1 {
				suffix = "_gap"
			}
			return fmt.Sprintf("%s=%d%s", b.Item.ID, b.Options[(i-b.Base)/2].Value, suffix)
		}
	}
	for _, c := range l.Culture {
		if i >= c.Base && i < c.Base+len(c.Options) {
			return fmt.Sprintf("%s=%d", c.Item.ID, c.Options[i-c.Base].Value)
		}
	}
	if i >= l.Index && i < l.Index+IndexWidth {
		return []string{"index.n", "index.sum", "index.sum_sq"}[i-l.Index]
	}
	return fmt.Sprintf("counter %d", i)
}
