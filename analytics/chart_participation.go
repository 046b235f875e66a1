package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ParticipationChart draws chart 7: responses against headcount for the
// group and each of its sub-teams. A count under the threshold is withheld
// like any figure: the team keeps its headcount bar and the label.
func ParticipationChart(p *Participation, l Locale) Chart {
	c := Chart{ID: "participation", Title: l.T("chart.participation.title"), Lead: l.T("chart.participation.lead")}
	names, depths := make([]string, len(p.Rows)), make([]int, len(p.Rows))
	var heads, answers []opts.BarData
	var headTips, answerTips [][]string
	for i, r := range p.Rows {
		names[i], depths[i] = r.Team.Name, r.Depth
		c.Teams = append(c.Teams, r.Team.ID)
		label := l.T("chart.withheld_legend", p.K)
		tip := []string{r.Team.Name, l.T("chart.tip.headcount", r.Headcount)}
		if r.Shown {
			label = l.T("chart.participation.label", r.Responses, r.Headcount)
			if r.Headcount > 0 {
				label += " · " + l.Pct(r.Rate)
			}
			tip = append(tip, l.T("chart.tip.responses", r.Responses), l.T("chart.tip.rate", l.Pct(r.Rate)))
			answers = append(answers, opts.BarData{Value: r.Responses})
		} else {
			tip = append(tip, label)
			answers = append(answers, opts.BarData{Value: "-"})
		}
		heads = append(heads, opts.BarData{Value: r.Headcount, Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: label}})
		headTips, answerTips = append(headTips, tip), append(answerTips, tip)
	}
	c.Table = participationTable(p, l)
	c.Height = 90 + 30*len(p.Rows)
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: teamCategories(names, depths), Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "170", Top: "40", Bottom: "30", ContainLabel: opts.Bool(true)}),
	)
	bar.AddSeries(l.T("chart.headcount"), heads, charts.WithItemStyleOpts(opts.ItemStyle{Color: colNeutral}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarWidth = "60%" }))
	bar.AddSeries(l.T("chart.responses"), answers, charts.WithItemStyleOpts(opts.ItemStyle{Color: colPrivate}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarGap, s.BarWidth = "-100%", "60%" }))
	m := optionOf(bar, &c)
	axisLabels(m, "yAxis", map[string]any{"interval": 0})
	setAxis(m, "yAxis", "triggerEvent", true)
	finish(m)
	c.option, c.tips = m, [][][]string{headTips, answerTips}
	return c
}

func participationTable(p *Participation, l Locale) Table {
	t := Table{Caption: l.T("chart.participation.caption", p.K),
		Head: []string{l.T("chart.team"), l.T("chart.headcount"), l.T("chart.responses"), l.T("chart.rate")}}
	for _, r := range p.Rows {
		tr := TableRow{Team: r.Team.ID, Header: indent(r.Team.Name, r.Depth), Withheld: !r.Shown, Cells: []Cell{count(r.Headcount)}}
		switch {
		case !r.Shown:
			tr.Cells = append(tr.Cells, l.withheld(p.K), l.withheld(p.K))
		case r.Headcount == 0:
			tr.Cells = append(tr.Cells, count(r.Responses), Cell{Text: "—", Raw: ""})
		default:
			tr.Cells = append(tr.Cells, count(r.Responses), num(l.Pct(r.Rate), r.Rate*100))
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}
