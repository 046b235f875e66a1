package analytics

import (
	"fmt"
	"strings"

	"digigap/survey"
)

// dumbbellAxes lays chart 2 out: the dumbbell on the left (a category axis
// for the labels, a hidden value axis the segments are drawn on, rows
// centred on 0…n−1), the blocked share on the right, same rows.
func dumbbellAxes(m map[string]any, labels []string, blockedMax float64, l Locale) {
	n := float64(len(labels))
	m["grid"] = []map[string]any{
		{"left": 32, "right": "30%", "top": 40, "bottom": 40, "containLabel": true},
		{"left": "74%", "right": 16, "top": 40, "bottom": 40, "containLabel": false},
	}
	pctLabel := map[string]any{"formatter": "{value} %"}
	m["xAxis"] = []map[string]any{
		{"type": "value", "min": 0, "max": 100, "gridIndex": 0, "axisLabel": pctLabel, "axisLine": map[string]any{"onZero": false},
			"name": l.T("chart.channels.axis"), "nameLocation": "middle", "nameGap": 24},
		{"type": "value", "min": 0, "max": blockedMax, "gridIndex": 1, "axisLabel": pctLabel,
			"name": l.T("chart.blocked_short"), "nameLocation": "middle", "nameGap": 24},
	}
	m["yAxis"] = []map[string]any{
		{"type": "category", "data": labels, "inverse": true, "gridIndex": 0, "axisLabel": map[string]any{"interval": 0, "lineHeight": 14}},
		{"type": "value", "min": -0.5, "max": n - 0.5, "inverse": true, "gridIndex": 0, "show": false},
		{"type": "category", "data": labels, "inverse": true, "gridIndex": 1, "axisLabel": map[string]any{"show": false}},
	}
}

// blockedSeries is the share answering "not available or not allowed at
// work", per channel, on the right panel.
func blockedSeries(cells []channelCell, labels []string, l Locale) (map[string]any, [][]string) {
	data := make([]any, len(cells))
	tips := make([][]string, len(cells))
	for i, cell := range cells {
		if !cell.Shown {
			data[i] = "-"
			continue
		}
		data[i] = pct1(cell.Blocked)
		tips[i] = []string{labels[i], l.T("chart.tip.blocked", l.Pct(cell.Blocked)), l.T("chart.tip.n", cell.N)}
	}
	return map[string]any{
		"type": "bar", "name": l.T("chart.blocked"), "data": data, "xAxisIndex": 1, "yAxisIndex": 2,
		"itemStyle": map[string]any{"color": "#6a3d9a"}, "barWidth": "50%",
		"label": map[string]any{"show": true, "position": "right", "formatter": "dg:pct"},
	}, tips
}

// channelRefs marks HR's reference values for a channel on its row.
func channelRefs(cells []channelCell, refs []survey.ReferenceValue, l Locale) (map[string]any, [][]string) {
	var lines []any
	var tips [][]string
	for i, cell := range cells {
		for _, r := range refs {
			if r.Channel != cell.ID {
				continue
			}
			y := float64(i)
			name := refLabel(r, l)
			lines = append(lines, []map[string]any{
				{"coord": []float64{r.Value, y - 0.42}, "name": name},
				{"coord": []float64{r.Value, y + 0.42}},
			})
			tips = append(tips, refTip(r, l))
		}
	}
	if lines == nil {
		return nil, nil
	}
	return map[string]any{
		"type": "scatter", "name": l.T("chart.reference"), "data": []any{}, "xAxisIndex": 0, "yAxisIndex": 1,
		"markLine": map[string]any{
			"symbol": "none", "data": lines,
			"lineStyle": map[string]any{"color": colRef, "type": "dashed", "width": 2},
			"label":     map[string]any{"show": true, "position": "end", "formatter": "{b}", "fontSize": 11, "color": colRef},
		},
	}, tips
}

// refLabel names a reference line as another measure than the chart's
// (clients' use, a survey of another population): it shares the axis, not
// the definition of the staff's "weekly or more".
func refLabel(r survey.ReferenceValue, l Locale) string {
	return l.T("chart.ref_label", r.Label, l.Pct(r.Value/100))
}

func refTip(r survey.ReferenceValue, l Locale) []string {
	tip := []string{l.T("chart.reference"), r.Label + " : " + l.Pct(r.Value/100), l.T("chart.ref_other")}
	if r.Source != "" {
		tip = append(tip, l.T("chart.source", r.Source))
	}
	return tip
}

func channelsTable(cells []channelCell, labels []string, k int, l Locale) Table {
	t := Table{Caption: l.T("chart.channels.caption", k), Head: []string{l.T("chart.channel"),
		l.T("chart.private"), l.T("chart.ci_head"), l.T("chart.work"), l.T("chart.ci_head"),
		l.T("chart.gap"), l.T("chart.ci_head"), l.T("chart.blocked"), "n"}}
	for i, cell := range cells {
		tr := TableRow{Header: labels[i], Withheld: !cell.Shown}
		if !cell.Shown {
			for range t.Head[1:] {
				tr.Cells = append(tr.Cells, l.withheld(k))
			}
		} else {
			f := cell.ChannelFigures
			tr.Cells = []TableCell{numCell(l.Pct(f.P), f.P*100), ciCell(f.PCI, false, l), numCell(l.Pct(f.Q), f.Q*100), ciCell(f.QCI, false, l),
				numCell(l.PP(f.Gap), f.Gap*100), ciCell(f.GapCI, true, l), numCell(l.Pct(f.Blocked), f.Blocked*100), count(f.N)}
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}

// ciCell is an interval: "a to b" on the page, its two bounds in two
// columns of the spreadsheet.
func ciCell(iv Interval, diff bool, l Locale) TableCell {
	return TableCell{Text: l.CI(iv, diff), Raw: fmt.Sprintf("%.1f", iv.Low*100), High: fmt.Sprintf("%.1f", iv.High*100)}
}

// refCaption lists the reference values a chart draws in its table view's
// caption, as another measure than the staff figures (issue 15, point 8):
// the table view and its export have no lines to label.
func refCaption(refs []survey.ReferenceValue, keep func(survey.ReferenceValue) bool, l Locale) string {
	var names []string
	for _, r := range refs {
		if keep(r) {
			names = append(names, refLabel(r, l))
		}
	}
	if names == nil {
		return ""
	}
	return " " + l.T("chart.ref_table", strings.Join(names, "; "))
}
