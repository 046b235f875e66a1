package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ParticipationChart draws chart 7: responses against headcount for each
// sub-team of the group (the group itself when it has none), the group's
// total written above. A count under the threshold is withheld like any
// figure: the team keeps its headcount bar and the label.
func ParticipationChart(p *Participation, l Locale) Chart {
	c := Chart{ID: "participation", Title: l.T("chart.participation.title"), Lead: l.T("chart.participation.lead")}
	c.Table = participationTable(p, l)
	rows := p.Rows
	if len(rows) > 1 {
		rows = rows[1:] // the group is the sum of its bars: it heads the chart instead
	}
	names, depths := make([]string, len(rows)), make([]int, len(rows))
	var heads, answers []opts.BarData
	var tips [][]string
	for i, r := range rows {
		names[i], depths[i] = r.Team.Name, 1
		c.Teams = append(c.Teams, r.Team.ID)
		label, tip := participationLabel(r, p.K, l)
		if r.Shown {
			answers = append(answers, opts.BarData{Value: r.Responses})
		} else {
			answers = append(answers, opts.BarData{Value: "-"})
		}
		heads = append(heads, opts.BarData{Value: r.Headcount, Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: label}})
		tips = append(tips, tip)
	}
	c.Height = 110 + 32*len(rows)
	bar := charts.NewBar()
	total, _ := participationLabel(p.Rows[0], p.K, l)
	bar.SetGlobalOptions(initOpts(),
		charts.WithTitleOpts(opts.Title{Title: l.T("chart.ranking.group", p.Rows[0].Team.Name, total), Left: "0",
			TitleStyle: &opts.TextStyle{FontSize: 14, Color: "#1b1b1b"}}),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: teamCategories(names, depths), Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "32", Right: "190", Top: "64", Bottom: "30", ContainLabel: opts.Bool(true)}),
	)
	bar.AddSeries(l.T("chart.headcount"), heads, charts.WithItemStyleOpts(opts.ItemStyle{Color: colNeutral}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarWidth = "60%" }))
	bar.AddSeries(l.T("chart.responses"), answers, charts.WithItemStyleOpts(opts.ItemStyle{Color: colPrivate}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarGap, s.BarWidth = "-100%", "60%" }))
	m := optionOf(bar, &c)
	axisLabels(m, "yAxis", map[string]any{"interval": 0})
	setAxis(m, "yAxis", "triggerEvent", true)
	finish(m)
	c.option, c.tips = m, [][][]string{tips, tips}
	return c
}

// participationLabel is a team's "answers / headcount · rate", or the
// withheld label, and its tooltip lines.
func participationLabel(r ParticipationRow, k int, l Locale) (string, []string) {
	tip := []string{r.Team.Name, l.T("chart.tip.headcount", r.Headcount)}
	if !r.Shown {
		label := l.T("chart.withheld_legend", k)
		return label, append(tip, label)
	}
	label := l.T("chart.participation.label", r.Responses, r.Headcount)
	if r.Headcount > 0 {
		label += " · " + l.Pct(r.Rate)
	}
	tip = append(tip, l.T("chart.tip.responses", r.Responses), l.T("chart.tip.rate", l.Pct(r.Rate)))
	if r.Over {
		label += " ⚠"
		tip = append(tip, l.T("chart.participation.over"))
	}
	return label, append(tip, l.T("chart.participation.definition"))
}

func participationTable(p *Participation, l Locale) Table {
	t := Table{Caption: l.T("chart.participation.caption", p.K) + " " + l.T("chart.participation.definition"),
		Head: []string{l.T("chart.team"), l.T("chart.headcount"), l.T("chart.responses"), l.T("chart.rate")}}
	over := false
	for _, r := range p.Rows {
		tr := TableRow{Team: r.Team.ID, Header: indent(r.Team.Name, r.Depth), Withheld: !r.Shown, Cells: []TableCell{count(r.Headcount)}}
		switch {
		case !r.Shown:
			tr.Cells = append(tr.Cells, l.withheld(p.K), l.withheld(p.K))
		case r.Headcount == 0:
			tr.Cells = append(tr.Cells, count(r.Responses), TableCell{Text: "—", Raw: ""})
		case r.Over:
			over = true
			tr.Cells = append(tr.Cells, count(r.Responses), numCell(l.Pct(r.Rate)+" ⚠", r.Rate*100))
		default:
			tr.Cells = append(tr.Cells, count(r.Responses), numCell(l.Pct(r.Rate), r.Rate*100))
		}
		t.Rows = append(t.Rows, tr)
	}
	if over {
		t.Caption += " ⚠ " + l.T("chart.participation.over")
	}
	return t
}
