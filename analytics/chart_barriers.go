package analytics

import (
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// BarriersChart draws chart 5: the share of respondents naming each
// barrier to professional use, most named first, over those who answered
// the barrier question and over those of them with a Gap on some channel
// (when that set is shown too). The table view gives both n.
func BarriersChart(b *Barriers, l Locale) Chart {
	c := Chart{ID: "barriers", Intervals: true, Title: l.T("chart.barriers.title"), Lead: l.T("chart.barriers.lead")}
	type option struct {
		BarrierOption
		item *BarrierItem
	}
	var opts_ []option
	shown, gapShown := false, false
	for i := range b.Items {
		it := &b.Items[i]
		shown, gapShown = shown || it.Shown, gapShown || it.GapShown
		for _, o := range it.Options {
			opts_ = append(opts_, option{o, it})
		}
	}
	sort.SliceStable(opts_, func(i, j int) bool { return opts_[i].Overall.Value > opts_[j].Overall.Value })
	c.Table = Table{Caption: l.T("chart.barriers.caption", b.K), Head: []string{l.T("chart.barrier"), l.T("chart.barriers.all"), "n", l.T("chart.barriers.gap"), "n"}}
	if !shown || len(opts_) == 0 {
		c.Empty = l.T("chart.all_withheld", b.K)
	} else {
		c.Lead += " " + l.T("chart.barriers.answered", b.Items[0].N, b.N)
	}
	labels := make([]string, len(opts_))
	var all, gap []opts.BarData
	var allTips, gapTips [][]string
	for i, o := range opts_ {
		labels[i] = o.Option.Label.In(l.Lang)
		tr := TableRow{Header: labels[i], Withheld: !o.item.Shown}
		if o.item.Shown {
			all = append(all, opts.BarData{Value: pct1(o.Overall.Value)})
			allTips = append(allTips, []string{labels[i], l.T("chart.barriers.tip_all", l.Pct(o.Overall.Value), o.Overall.Count, o.Overall.Base)})
			tr.Cells = append(tr.Cells, numCell(l.Pct(o.Overall.Value), o.Overall.Value*100), count(o.item.N))
		} else {
			all = append(all, opts.BarData{Value: "-"})
			allTips = append(allTips, nil)
			tr.Cells = append(tr.Cells, l.withheld(b.K), l.withheld(b.K))
		}
		if o.item.GapShown {
			gap = append(gap, opts.BarData{Value: pct1(o.AmongGap.Value)})
			gapTips = append(gapTips, []string{labels[i], l.T("chart.barriers.tip_gap", l.Pct(o.AmongGap.Value), o.AmongGap.Count, o.AmongGap.Base)})
			tr.Cells = append(tr.Cells, numCell(l.Pct(o.AmongGap.Value), o.AmongGap.Value*100), count(o.item.GapN))
		} else {
			gap = append(gap, opts.BarData{Value: "-"})
			gapTips = append(gapTips, nil)
			tr.Cells = append(tr.Cells, l.withheld(b.K), l.withheld(b.K))
		}
		c.Table.Rows = append(c.Table.Rows, tr)
	}
	c.Height = 100 + 56*len(opts_)
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "40", Bottom: "20", ContainLabel: opts.Bool(true)}),
	)
	label := charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "dg:pct"})
	bar.AddSeries(l.T("chart.barriers.all"), all, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#4d4d4d"}))
	tips := [][][]string{allTips}
	if gapShown {
		bar.AddSeries(l.T("chart.barriers.gap"), gap, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: colPositive}))
		tips = append(tips, gapTips)
	}
	m := optionOf(bar, &c)
	axisLabels(m, "yAxis", map[string]any{"interval": 0, "width": 240, "overflow": "break", "lineHeight": 14})
	finish(m)
	c.option, c.tips = m, tips
	return c
}
