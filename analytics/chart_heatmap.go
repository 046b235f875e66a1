package analytics

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// HeatmapChart draws chart 1: teams × channels of the Gap, plus the
// adoption gap index, on a diverging scale centred on 0. Withheld cells are
// grey, labelled with the threshold, and carry no figure. Rows deeper than
// maxDepth below the table's first rows are left out.
func HeatmapChart(t *GapTable, maxDepth int, l Locale) Chart {
	c := Chart{ID: "heatmap", Intervals: true, Title: l.T("chart.heatmap.title"), Lead: l.T("chart.heatmap.lead", t.K), Hint: l.T("chart.heatmap.lead_hint")}
	cols := make([]string, 0, len(t.Channels)+1)
	for i := range t.Channels {
		cols = append(cols, t.Def.Channels[i].Label.In(l.Lang))
	}
	cols = append(cols, l.T("chart.index"))
	// Column headers are shortened between words; tooltips and the table
	// view keep the full names.
	heads := make([]string, len(cols))
	for i, col := range cols {
		heads[i] = ShortLabel(col, HeaderWidth, 2)
	}
	for maxDepth > 1 && rowsTo(t, maxDepth) > maxHeatmapRows {
		maxDepth--
	}
	var rows []*GapRow
	for i := range t.Rows {
		if t.Rows[i].Depth <= maxDepth {
			rows = append(rows, &t.Rows[i])
		}
	}
	if len(rows) < len(t.Rows) && maxDepth < 2 {
		c.Note = l.T("chart.heatmap.note")
		c.Hint += " " + l.T("chart.heatmap.note_hint")
	}
	var shown, hidden, wide, alike []opts.HeatMapData
	var shownTips, hiddenTips, wideTips, alikeTips [][]string
	names, depths := make([]string, len(rows)), make([]int, len(rows))
	extent := 0.2
	for y, r := range rows {
		names[y], depths[y] = ShortLabel(rowLabel(r, l), AxisWidth, 2), r.Depth
		c.Teams = append(c.Teams, r.Team.ID)
		for x := range cols {
			v, ok, tip := heatCell(r, x, cols[x], t.K, l)
			if !ok && x < len(r.Cells) && r.Cells[x].Unanimous {
				alike = append(alike, opts.HeatMapData{Value: [3]int{x, y, 0}})
				alikeTips = append(alikeTips, tip)
				continue
			}
			if !ok {
				// ECharts draws a heatmap cell only with a third value: the
				// placeholder 0 is never shown (the label and tooltip say
				// withheld) and the series' own colour ignores it.
				hidden = append(hidden, opts.HeatMapData{Value: [3]int{x, y, 0}})
				hiddenTips = append(hiddenTips, tip)
				continue
			}
			extent = math.Max(extent, math.Abs(v))
			if wideAt(r, x) {
				wide = append(wide, opts.HeatMapData{Value: [3]any{x, y, pct1(v)}})
				wideTips = append(wideTips, append(tip, l.T("chart.tip.wide")))
				continue
			}
			shown = append(shown, opts.HeatMapData{Value: [3]any{x, y, pct1(v)}})
			shownTips = append(shownTips, tip)
		}
	}
	c.Table = heatTable(rows, cols, t.K, l)
	if len(shown)+len(wide) == 0 {
		c.Empty = l.T("chart.all_withheld", t.K)
	}
	c.Height = 160 + 26*len(rows)
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(hidden)+len(wide)+len(alike) > 0), Bottom: "0", Right: "0",
			Data: []string{l.T("chart.withheld_legend", t.K), l.T("chart.unanimous_legend", 2*t.K), l.T("chart.wide_legend")}}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Position: "top", Data: heads}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: teamCategories(names, depths), Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "32", Right: "8", Top: "10", Bottom: "50", ContainLabel: opts.Bool(true)}),
	)
	hm.SetXAxis(heads)
	hm.AddSeries(l.T("chart.gap"), shown, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "dg:signed"}))
	hm.AddSeries(l.T("chart.withheld_legend", t.K), hidden,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: l.T("chart.withheld_short", t.K), Color: "#000000"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colWithheld}))
	// Cells withheld by the unanimous-cell policy (unanimous.go): "=".
	hm.AddSeries(l.T("chart.unanimous_legend", 2*t.K), alike,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: l.T("chart.unanimous_short"), Color: "#000000"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colWithheld}))
	// Imprecise cells (half-width > 20 pp): a lighter tone and a ◌.
	hm.AddSeries(l.T("chart.wide_legend"), wide,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "dg:signedWide"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Opacity: opts.Float(0.45), BorderColor: colWithheld, BorderWidth: 1}))
	m := optionOf(hm, &c)
	m["visualMap"] = []map[string]any{{
		"type": "continuous", "seriesIndex": []int{0, 3}, "dimension": 2, "calculable": false,
		"min": -math.Ceil(extent*10) * 10, "max": math.Ceil(extent*10) * 10,
		"orient": "horizontal", "left": "90", "bottom": "0", "itemHeight": 160,
		"text":    []string{l.T("chart.heatmap.high"), l.T("chart.heatmap.low")},
		"inRange": map[string]any{"color": []string{colNegative, colZero, colPositive}},
	}}
	axisLabels(m, "xAxis", map[string]any{"interval": 0, "fontSize": 11, "lineHeight": 13})
	axisLabels(m, "yAxis", map[string]any{"interval": 0})
	setAxis(m, "yAxis", "triggerEvent", true)
	finish(m)
	c.option, c.tips = m, [][][]string{shownTips, hiddenTips, alikeTips, wideTips}
	return c
}

// WideMark follows a figure whose interval is wider than ±20 points in
// the table views (ChannelFigures.Wide).
const WideMark = "◌"

// rowLabel is a row's team name with, when its group is shown, its number
// of respondents: a reader sees at a glance how many answers a colour is.
func rowLabel(r *GapRow, l Locale) string {
	if !r.Shown {
		return r.Team.Name
	}
	return l.T("chart.heatmap.row", r.Team.Name, r.Responses)
}

// maxHeatmapRows keeps a large group's heatmap readable: beyond it, the
// heatmap shows fewer levels and drilling down shows the rest.
const maxHeatmapRows = 80

// rowsTo counts the rows down to depth.
func rowsTo(t *GapTable, depth int) int {
	n := 0
	for _, r := range t.Rows {
		if r.Depth <= depth {
			n++
		}
	}
	return n
}

// heatCell is the Gap of row r's channel x, or its index when x is past
// the channels, with the tooltip lines.
func heatCell(r *GapRow, x int, col string, k int, l Locale) (float64, bool, []string) {
	tip := []string{r.Team.Name + " — " + col}
	if x == len(r.Cells) {
		if !r.IndexShown {
			return 0, false, append(tip, l.T("chart.index_withheld", k))
		}
		if r.IndexFig.HasCI {
			tip = append(tip, l.T("chart.tip.index_ci", l.PP(r.Index), l.CI(r.IndexFig.CI, true), r.IndexFig.N))
		} else {
			tip = append(tip, l.T("chart.tip.index", l.PP(r.Index)), l.T("chart.index_no_ci"))
		}
		return r.Index, true, append(tip, l.T("chart.tip.responses", r.Responses))
	}
	cell := &r.Cells[x]
	if !cell.Shown && cell.Unanimous {
		return 0, false, append(tip, l.T("chart.unanimous_legend", 2*k))
	}
	if !cell.Shown {
		return 0, false, append(tip, l.T("chart.withheld_legend", k))
	}
	f := cell.ChannelFigures
	return f.Gap, true, append(tip,
		l.T("chart.tip.gap", l.PP(f.Gap), l.CI(f.GapCI, true)),
		l.T("chart.tip.private", l.Pct(f.P)),
		l.T("chart.tip.work", l.Pct(f.Q)),
		l.T("chart.tip.blocked", l.Pct(f.Blocked)),
		l.T("chart.tip.n", f.N))
}

// wideAt says row r's cell x (the index past the channels) has an
// interval too wide to read alone.
func wideAt(r *GapRow, x int) bool {
	if x == len(r.Cells) {
		return r.IndexFig.Wide(r.Index)
	}
	return r.Cells[x].Wide()
}

func heatTable(rows []*GapRow, cols []string, k int, l Locale) Table {
	t := Table{Caption: l.T("chart.heatmap.caption", k), Head: append([]string{l.T("chart.team")}, cols...)}
	t.Head = append(t.Head, l.T("chart.responses"))
	for _, r := range rows {
		tr := TableRow{Team: r.Team.ID, Header: indent(r.Team.Name, r.Depth), Withheld: !r.Shown}
		for x := range cols {
			if v, ok, _ := heatCell(r, x, "", k, l); ok {
				text := l.PP(v)
				if x == len(r.Cells) && r.IndexFig.HasCI { // the index with its interval
					text += " (" + l.CI(r.IndexFig.CI, true) + ")"
				}
				if wideAt(r, x) {
					text += " " + WideMark
				}
				tr.Cells = append(tr.Cells, numCell(text, v*100))
			} else if x < len(r.Cells) && r.Cells[x].Unanimous {
				tr.Cells = append(tr.Cells, l.withheldUnanimous(k))
			} else {
				tr.Cells = append(tr.Cells, l.withheld(k))
			}
		}
		if r.Shown {
			tr.Cells = append(tr.Cells, count(r.Responses))
		} else {
			tr.Cells = append(tr.Cells, l.withheld(k))
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}

// axisLabels merges settings into the axisLabel of every axis of kind.
func axisLabels(m map[string]any, kind string, set map[string]any) {
	for _, ax := range axes(m, kind) {
		lbl, _ := ax["axisLabel"].(map[string]any)
		if lbl == nil {
			lbl = map[string]any{}
		}
		for k, v := range set {
			lbl[k] = v
		}
		ax["axisLabel"] = lbl
	}
}

// setAxis sets one field on every axis of kind.
func setAxis(m map[string]any, kind, key string, v any) {
	for _, ax := range axes(m, kind) {
		ax[key] = v
	}
}

func axes(m map[string]any, kind string) []map[string]any {
	list, _ := m[kind].([]any)
	var out []map[string]any
	for _, a := range list {
		if ax, ok := a.(map[string]any); ok {
			out = append(out, ax)
		}
	}
	return out
}
