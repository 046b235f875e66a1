package analytics

import (
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TrendChart draws chart 4: the group's Gap per channel and its adoption gap
// index over the closed waves of the same questionnaire, oldest first. The
// index and the three channels with the widest Gap in the last wave are
// drawn; the legend adds the others. change, when not nil, is the last
// wave's gap table compared with the one before: its changes and their
// intervals go into the tooltips and the table.
func TrendChart(waves []*GroupSummary, change *GapTable, l Locale) Chart {
	c := Chart{ID: "trend", Intervals: true, Title: l.T("chart.trend.title"), Lead: l.T("chart.trend.lead"), Hint: l.T("chart.trend.lead_hint"), Height: 460}
	if len(waves) < 2 {
		c.Empty = l.T("chart.trend.single")
		c.Table = trendTable(waves, nil, l)
		return c
	}
	last := waves[len(waves)-1]
	names := make([]string, len(waves))
	for i, w := range waves {
		names[i] = w.Campaign.Name
	}
	line := charts.NewLine()
	line.SetXAxis(names)
	var tips [][][]string
	index := make([]opts.LineData, len(waves))
	var indexTips [][]string
	for i, w := range waves {
		index[i] = opts.LineData{Value: "-"}
		tip := []string{w.Campaign.Name + " — " + l.T("chart.index")}
		if w.Row.IndexShown {
			index[i].Value = pct1(w.Row.Index)
			tip = append(tip, indexTip(&w.Row, l))
			if ic := indexChangeOf(change); i == len(waves)-1 && ic != nil && ic.Shown && ic.HasIntervals {
				tip = append(tip, l.T("chart.tip.change", l.PP(ic.Gap), l.CI(ic.GapCI, true)))
			}
		} else {
			tip = append(tip, l.T("chart.index_withheld", w.K))
		}
		indexTips = append(indexTips, tip)
	}
	line.AddSeries(l.T("chart.index"), index, charts.WithLineStyleOpts(opts.LineStyle{Width: 5, Color: "#1b1b1b"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1b1b1b"}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "dg:signed", Position: "top"}))
	tips = append(tips, indexTips)
	selected := map[string]bool{}
	for _, ch := range topChannels(last, 3) {
		selected[channelLabel(last.Def, ch, l)] = true
	}
	for _, id := range last.Def.ChannelIDs() {
		label := channelLabel(last.Def, id, l)
		data, chTips := channelTrend(waves, id, label, change, l)
		line.AddSeries(label, data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.SymbolSize = 8 }))
		tips = append(tips, chTips)
		if !selected[label] {
			selected[label] = false
		}
	}
	line.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Left: "0", Selected: selected}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "250", Top: "90", Bottom: "30", ContainLabel: opts.Bool(true)}),
	)
	m := optionOf(line, &c)
	setAxis(m, "yAxis", "axisLabel", map[string]any{"formatter": "dg:ppAxis"})
	for _, s := range series(m) { // each line names itself at its end, shortened between words
		name, _ := s["name"].(string)
		s["endLabel"] = map[string]any{"show": true, "formatter": ShortLabel(name, EndLabelWidth, 2)}
		s["labelLayout"] = map[string]any{"moveOverlap": "shiftY"}
	}
	setAxis(m, "xAxis", "boundaryGap", false)
	finish(m)
	c.option, c.tips = m, tips
	c.Table = trendTable(waves, change, l)
	c.Note = populationNote(change, l)
	return c
}

// indexTip is a wave's index with its interval and n, when it has one.
func indexTip(r *GapRow, l Locale) string {
	if r.IndexFig.HasCI {
		return l.T("chart.tip.index_ci", l.PP(r.Index), l.CI(r.IndexFig.CI, true), r.IndexFig.N)
	}
	return l.T("chart.tip.index", l.PP(r.Index))
}

// indexChangeOf is the index change of the compared table's first row.
func indexChangeOf(t *GapTable) *Change {
	if t == nil || len(t.Rows) == 0 {
		return nil
	}
	return t.Rows[0].IndexChange
}

// populationNote says, under the chart, when the last two waves did not
// ask the same people: other teams (no change is computed) or the same
// teams with another headcount.
func populationNote(t *GapTable, l Locale) string {
	if t == nil || t.Compare == nil || len(t.Rows) == 0 {
		return ""
	}
	r := &t.Rows[0]
	switch {
	case !r.Comparable:
		return l.T("chart.trend.not_covered", t.Compare.Name)
	case !r.SamePopulation():
		return l.T("chart.trend.population_differs", t.Compare.Name, t.Campaign.Name, r.Populations[1], r.Populations[0])
	}
	return ""
}

// topChannels are the ids of the n shown channels with the widest Gap.
func topChannels(s *GroupSummary, n int) []string {
	cells := orderByGap(channelCells(s.Def.ChannelIDs(), &s.Row))
	var out []string
	for _, c := range cells {
		if c.Shown && len(out) < n {
			out = append(out, c.ID)
		}
	}
	return out
}

// channelTrend is one channel's Gap over the waves; a channel a wave did
// not ask, or withheld, is a gap in the line.
func channelTrend(waves []*GroupSummary, id, label string, change *GapTable, l Locale) ([]opts.LineData, [][]string) {
	data := make([]opts.LineData, len(waves))
	tips := make([][]string, len(waves))
	for i, w := range waves {
		data[i] = opts.LineData{Value: "-"}
		tips[i] = []string{w.Campaign.Name + " — " + label, l.T("chart.withheld_legend", w.K)}
		cell, ok := cellOf(w, id)
		if !ok || !cell.Shown {
			continue
		}
		data[i].Value = pct1(cell.Gap)
		tips[i] = append(tips[i][:1], l.T("chart.tip.gap", l.PP(cell.Gap), l.CI(cell.GapCI, true)))
		if i == len(waves)-1 {
			if ch := changeOf(change, id); ch != nil && ch.Shown {
				tips[i] = append(tips[i], l.T("chart.tip.change", l.PP(ch.Gap), l.CI(ch.GapCI, true)))
			}
		}
	}
	return data, tips
}

// cellOf is channel id's cell in a wave's summary (a later questionnaire
// version may add channels: they are matched by id).
func cellOf(w *GroupSummary, id string) (GapCell, bool) {
	for i, c := range w.Def.ChannelIDs() {
		if c == id && i < len(w.Row.Cells) {
			return w.Row.Cells[i], true
		}
	}
	return GapCell{}, false
}

// changeOf is the change of channel id in the compared gap table's first row.
func changeOf(t *GapTable, id string) *Change {
	if t == nil || len(t.Rows) == 0 {
		return nil
	}
	for i, c := range t.Channels {
		if c == id && i < len(t.Rows[0].Changes) {
			return &t.Rows[0].Changes[i]
		}
	}
	return nil
}

// trendTable lists the waves by row, the channels and the index by column,
// and the change since the previous wave with its interval.
func trendTable(waves []*GroupSummary, change *GapTable, l Locale) Table {
	if len(waves) == 0 {
		return Table{}
	}
	last := waves[len(waves)-1]
	t := Table{Caption: l.T("chart.trend.caption", last.K), Head: []string{l.T("chart.wave")}}
	for _, id := range last.Def.ChannelIDs() {
		t.Head = append(t.Head, channelLabel(last.Def, id, l))
	}
	t.Head = append(t.Head, l.T("chart.index"))
	for _, w := range waves {
		tr := TableRow{Header: w.Campaign.Name}
		for _, id := range last.Def.ChannelIDs() {
			if c, ok := cellOf(w, id); ok && c.Shown {
				tr.Cells = append(tr.Cells, numCell(l.PP(c.Gap), c.Gap*100))
			} else {
				tr.Cells = append(tr.Cells, l.withheld(w.K))
			}
		}
		if w.Row.IndexShown && w.Row.IndexFig.HasCI {
			tr.Cells = append(tr.Cells, TableCell{Text: l.PP(w.Row.Index) + " (" + l.CI(w.Row.IndexFig.CI, true) + ")", Raw: numCell("", w.Row.Index*100).Raw})
		} else if w.Row.IndexShown {
			tr.Cells = append(tr.Cells, numCell(l.PP(w.Row.Index), w.Row.Index*100))
		} else {
			tr.Cells = append(tr.Cells, l.withheld(w.K))
		}
		t.Rows = append(t.Rows, tr)
	}
	if change != nil && change.Compare != nil {
		t.Rows = append(t.Rows, changeRow(last, change, l))
	}
	return t
}

func changeRow(last *GroupSummary, change *GapTable, l Locale) TableRow {
	tr := TableRow{Header: l.T("chart.trend.change", change.Compare.Name)}
	if !change.Rows[0].Comparable {
		tr.Header = l.T("chart.trend.not_covered", change.Compare.Name)
	}
	for _, id := range last.Def.ChannelIDs() {
		if ch := changeOf(change, id); ch != nil && ch.Shown {
			tr.Cells = append(tr.Cells, TableCell{Text: l.PP(ch.Gap) + " (" + l.CI(ch.GapCI, true) + ")", Raw: numCell("", ch.Gap*100).Raw})
		} else {
			tr.Cells = append(tr.Cells, l.withheld(last.K))
		}
	}
	if ic := change.Rows[0].IndexChange; ic != nil && ic.Shown && ic.HasIntervals {
		tr.Cells = append(tr.Cells, TableCell{Text: l.PP(ic.Gap) + " (" + l.CI(ic.GapCI, true) + ")", Raw: numCell("", ic.Gap*100).Raw})
	} else if ic != nil && ic.Shown {
		tr.Cells = append(tr.Cells, numCell(l.PP(ic.Gap), ic.Gap*100))
	} else {
		tr.Cells = append(tr.Cells, l.withheld(last.K))
	}
	return tr
}

// SortWaves orders summaries oldest first, by opening date.
func SortWaves(waves []*GroupSummary) {
	sort.SliceStable(waves, func(i, j int) bool { return waves[i].Campaign.OpensOn < waves[j].Campaign.OpensOn })
}
