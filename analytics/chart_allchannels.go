package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"digigap/survey"
)

// AllChannelsChart draws chart 8: the share of the group's respondents who
// use every channel at all, privately and at work — the "3 staff in 4 use
// all channels privately, few at work" figure — with 95 % intervals and
// HR's all-channel reference values as horizontal lines.
func AllChannelsChart(s *GroupSummary, refs []survey.ReferenceValue, l Locale) Chart {
	a := s.AllChannels
	c := Chart{ID: "allchannels", Intervals: true, Title: l.T("chart.allchannels.title"), Lead: l.T("chart.allchannels.lead"), Height: 380}
	cats := []string{l.T("chart.private"), l.T("chart.work")}
	c.Table = Table{Caption: l.T("chart.allchannels.caption", s.K), Head: []string{"", l.T("chart.share"), l.T("chart.ci_head"),
		l.T("chart.allchannels.n_head"), l.T("chart.allchannels.respondents_head")}}
	if !a.Shown {
		c.Empty = l.T("chart.all_withheld", s.K)
		for _, cat := range cats {
			c.Table.Rows = append(c.Table.Rows, TableRow{Header: cat, Withheld: true, Cells: []TableCell{l.withheld(s.K), l.withheld(s.K), l.withheld(s.K), l.withheld(s.K)}})
		}
	}
	respondents := l.withheld(s.K)
	if a.Shown && s.Row.Shown {
		respondents = count(s.Row.Responses)
		// The denominator on sight: "over the n of N respondents who answered every channel".
		c.Lead += " " + l.T("chart.allchannels.n", a.N, s.Row.Responses)
	}
	shares := []Share{a.Private, a.Work}
	colors := []string{colPrivate, colWork}
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "190", Top: "30", Bottom: "30", ContainLabel: opts.Bool(true)}),
	)
	bar.SetXAxis(cats)
	var data []opts.BarData
	var tips [][]string
	for i, sh := range shares {
		if !a.Shown {
			data = append(data, opts.BarData{Value: "-"})
			tips = append(tips, nil)
			continue
		}
		// The share is written under the bar's top inside a tall bar, and
		// beside the whisker over a short one.
		label := &opts.Label{Show: opts.Bool(true), Position: "insideBottom", Color: "#ffffff", FontSize: 22, Formatter: l.Pct(sh.Value)}
		if sh.Value < 0.25 {
			label.Position, label.Color = "right", "#1b1b1b"
		}
		data = append(data, opts.BarData{Value: pct1(sh.Value), ItemStyle: &opts.ItemStyle{Color: colors[i]}, Label: label})
		tips = append(tips, []string{cats[i], l.T("chart.allchannels.tip", l.Pct(sh.Value), sh.Count, sh.Base), l.CI(sh.CI, false), l.T("chart.allchannels.denominator")})
		c.Table.Rows = append(c.Table.Rows, TableRow{Header: cats[i], Cells: []TableCell{numCell(l.Pct(sh.Value), sh.Value*100), ciCell(sh.CI, false, l), count(sh.Base), respondents}})
	}
	bar.AddSeries(l.T("chart.allchannels.series"), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarWidth = "45%" }))
	m := optionOf(bar, &c)
	ser := series(m)
	allTips := [][][]string{tips}
	if a.Shown {
		m["series"] = append(m["series"].([]any), whiskers(cats, shares))
		allTips = append(allTips, nil)
	}
	if ml := allChannelRefs(refs, l); ml != nil {
		ser[0]["markLine"] = ml
		c.Table.Caption += refCaption(refs, func(r survey.ReferenceValue) bool { return r.Channel == survey.AllChannels }, l)
	}
	finish(m)
	c.option, c.tips = m, allTips
	return c
}

// whiskers draws the intervals of category bars as an error-bar series.
func whiskers(cats []string, shares []Share) map[string]any {
	var data []any
	for i, sh := range shares {
		data = append(data, []any{cats[i], pct1(sh.CI.Low)}, []any{cats[i], pct1(sh.CI.High)}, "-")
	}
	return map[string]any{"type": "line", "data": data, "symbol": "rect", "symbolSize": []int{28, 2}, "silent": true,
		"connectNulls": false, "lineStyle": map[string]any{"color": "#1b1b1b", "width": 2}, "itemStyle": map[string]any{"color": "#1b1b1b"}}
}

// allChannelRefs are HR's reference values for the all-channel figure.
func allChannelRefs(refs []survey.ReferenceValue, l Locale) map[string]any {
	var data []any
	for _, r := range refs {
		if r.Channel == survey.AllChannels {
			data = append(data, map[string]any{"yAxis": r.Value, "name": refLabel(r, l)})
		}
	}
	if data == nil {
		return nil
	}
	return map[string]any{"symbol": "none", "data": data, "silent": true,
		"lineStyle": map[string]any{"color": colRef, "type": "dashed", "width": 2},
		"label":     map[string]any{"show": true, "position": "end", "formatter": "{b}", "width": 180, "overflow": "break", "color": colRef}}
}
