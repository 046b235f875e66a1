package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Agreement colours, from strongly disagree to strongly agree.
var agreeColours = []string{"#ca0020", "#f4a582", colNeutral, "#92c5de", "#0571b0"}

// CultureChart draws chart 6: each culture item's answers as a diverging
// stacked bar — disagreement to the left of 0, agreement to the right, the
// neutral answer split across the middle. Withheld items keep their row,
// with the label.
func CultureChart(cu *Culture, l Locale) Chart {
	c := Chart{ID: "culture", Title: l.T("chart.culture.title"), Lead: l.T("chart.culture.lead")}
	labels := make([]string, len(cu.Items))
	shown := false
	for i, it := range cu.Items {
		labels[i] = it.Item.Label.In(l.Lang)
		shown = shown || it.Shown
	}
	if !shown {
		c.Empty = l.T("chart.all_withheld", cu.K)
	}
	var scale []string
	if len(cu.Items) > 0 {
		for _, o := range cu.Def.ItemOptions(cu.Items[0].Item) {
			scale = append(scale, o.Label.In(l.Lang))
		}
	}
	c.Table = cultureTable(cu, labels, scale, l)
	c.Height = 110 + 70*len(cu.Items)
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: scale}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: -100, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "dg:pctAxis"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "30", Top: "50", Bottom: "20", ContainLabel: opts.Bool(true)}),
	)
	var tips [][][]string
	mid := len(scale) / 2
	// Left side outwards from 0 (neutral half, then disagreement), then
	// the right side outwards: ECharts stacks each sign from the axis.
	order := []int{}
	for o := mid; o >= 0; o-- {
		order = append(order, o)
	}
	for o := mid; o < len(scale); o++ {
		order = append(order, o)
	}
	for n, o := range order {
		left := n <= mid
		data, t := cultureSeries(cu, labels, o, mid, left, l)
		lbl := opts.Label{Show: opts.Bool(o != mid), Formatter: "dg:pctBig", Color: "#1b1b1b"}
		bar.AddSeries(scale[o], data, charts.WithLabelOpts(lbl), charts.WithItemStyleOpts(opts.ItemStyle{Color: agreeColours[o%len(agreeColours)]}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Stack, s.BarWidth = "likert", "55%" }))
		tips = append(tips, t)
	}
	m := optionOf(bar, &c)
	if w, wt := cultureWithheld(cu, labels, l); w != nil {
		m["series"] = append(m["series"].([]any), w)
		tips = append(tips, wt)
	}
	axisLabels(m, "yAxis", map[string]any{"interval": 0, "width": 280, "overflow": "break", "lineHeight": 14})
	if ser := series(m); len(ser) > 0 {
		ser[0]["markLine"] = map[string]any{"symbol": "none", "silent": true, "data": []any{map[string]any{"xAxis": 0}},
			"lineStyle": map[string]any{"color": "#1b1b1b", "type": "solid"}, "label": map[string]any{"show": false}}
	}
	finish(m)
	c.option, c.tips = m, tips
	return c
}

// cultureSeries is option o's share per item: negative on the left side,
// half of it for the neutral option, "-" for withheld items.
func cultureSeries(cu *Culture, labels []string, o, mid int, left bool, l Locale) ([]opts.BarData, [][]string) {
	data := make([]opts.BarData, len(cu.Items))
	tips := make([][]string, len(cu.Items))
	for i, it := range cu.Items {
		if !it.Shown || o >= len(it.Shares) {
			data[i] = opts.BarData{Value: "-"}
			continue
		}
		v := it.Shares[o]
		if o == mid {
			v /= 2
		}
		if left {
			v = -v
		}
		data[i] = opts.BarData{Value: pct1(v)}
		tips[i] = []string{labels[i], l.T("chart.culture.tip", l.Pct(it.Shares[o]), it.Counts[o], it.N)}
	}
	return data, tips
}

func cultureTable(cu *Culture, labels, scale []string, l Locale) Table {
	t := Table{Caption: l.T("chart.culture.caption", cu.K), Head: append(append([]string{l.T("chart.statement")}, scale...), l.T("chart.mean"), "n")}
	for i, it := range cu.Items {
		tr := TableRow{Header: labels[i], Withheld: !it.Shown}
		for o := 0; o < len(scale)+2; o++ {
			switch {
			case !it.Shown:
				tr.Cells = append(tr.Cells, l.withheld(cu.K))
			case o < len(scale) && o < len(it.Shares):
				tr.Cells = append(tr.Cells, numCell(l.Pct(it.Shares[o]), it.Shares[o]*100))
			case o == len(scale):
				tr.Cells = append(tr.Cells, TableCell{Text: fmtMean(it.Mean, l), Raw: fmtMean(it.Mean, Locale{})})
			default:
				tr.Cells = append(tr.Cells, count(it.N))
			}
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}

// cultureWithheld labels the rows of withheld items, which draw no bar.
func cultureWithheld(cu *Culture, labels []string, l Locale) (map[string]any, [][]string) {
	var data []any
	var tips [][]string
	for i, it := range cu.Items {
		if !it.Shown {
			data = append(data, []any{-100, i})
			tips = append(tips, []string{labels[i], l.T("chart.withheld_legend", cu.K)})
		}
	}
	if data == nil {
		return nil, nil
	}
	return map[string]any{"type": "scatter", "name": l.T("chart.withheld_legend", cu.K), "data": data, "symbolSize": 0,
		"label": map[string]any{"show": true, "position": "right", "formatter": l.T("chart.withheld_legend", cu.K), "color": "#4a4a4a"}}, tips
}
