package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"digigap/survey"
)

// coverageSeries are the four shares of clients every coverage chart shows.
var coverageSeries = []struct {
	key   string
	color string
	count func(f survey.CoverageFigures) int64
}{
	{"coverage.mobile", colPrivate, func(f survey.CoverageFigures) int64 { return f.WithMobile }},
	{"coverage.email", colWork, func(f survey.CoverageFigures) int64 { return f.WithEmail }},
	{"coverage.sms_consent", "#6a3d9a", func(f survey.CoverageFigures) int64 { return f.SMSConsent }},
	{"coverage.email_consent", "#33a02c", func(f survey.CoverageFigures) int64 { return f.EmailConsent }},
}

// coverageRow is one table row of coverage figures: clients and the four shares.
func coverageRow(header string, team int64, f survey.CoverageFigures, l Locale) TableRow {
	r := TableRow{Team: team, Header: header, Cells: []TableCell{count(int(f.Clients))}}
	for _, s := range coverageSeries {
		v := f.Share(s.count(f))
		r.Cells = append(r.Cells, numCell(l.Pct(v), v*100))
	}
	return r
}

func coverageHead(first string, l Locale) []string {
	h := []string{first, l.T("coverage.clients")}
	for _, s := range coverageSeries {
		h = append(h, l.T(s.key))
	}
	return h
}

// CoverageTrendChart draws a group's client contact coverage month by
// month: the shares of its clients with a mobile number, an e-mail
// address and each consent, from the sums of its teams' counts.
func CoverageTrendChart(team *survey.Team, periods []survey.CoverageFigures, l Locale) Chart {
	c := Chart{ID: "coverage-trend", Title: l.T("coverage.trend.title"), Lead: l.T("coverage.trend.lead"), Height: 320}
	c.Table = Table{Caption: l.T("coverage.trend.caption", team.Name), Head: coverageHead(l.T("coverage.month"), l)}
	if len(periods) == 0 {
		c.Empty = l.T("coverage.none")
		return c
	}
	months := make([]string, len(periods))
	for i, f := range periods {
		months[i] = f.Period
		c.Table.Rows = append(c.Table.Rows, coverageRow(f.Period, 0, f, l))
	}
	line := charts.NewLine()
	line.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "24", Top: "56", Bottom: "24", ContainLabel: opts.Bool(true)}),
	)
	line.SetXAxis(months)
	for _, s := range coverageSeries {
		data := make([]opts.LineData, len(periods))
		tips := make([][]string, len(periods))
		for i, f := range periods {
			v := f.Share(s.count(f))
			data[i] = opts.LineData{Value: pct1(v)}
			tips[i] = []string{f.Period, l.T("coverage.tip.share", l.T(s.key), l.Pct(v)), l.T("coverage.tip.clients", s.count(f), f.Clients)}
		}
		line.AddSeries(l.T(s.key), data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}), charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: s.color}))
		c.tips = append(c.tips, tips)
	}
	m := optionOf(line, &c)
	finish(m)
	c.option = m
	return c
}

// CoverageBranchesChart compares the child groups of a group on their
// clients' coverage in one month.
func CoverageBranchesChart(children []survey.TeamCoverage, period string, l Locale) Chart {
	c := Chart{ID: "coverage-branches", Title: l.T("coverage.branches.title"), Lead: l.T("coverage.branches.lead", period)}
	c.Table = Table{Caption: l.T("coverage.branches.caption", period), Head: coverageHead(l.T("chart.team"), l)}
	if len(children) == 0 {
		c.Empty = l.T("coverage.no_children")
		return c
	}
	names, depths := make([]string, len(children)), make([]int, len(children))
	for i, ch := range children {
		names[i], depths[i] = ch.Team.Name, 1
		c.Teams = append(c.Teams, ch.Team.ID)
		c.Table.Rows = append(c.Table.Rows, coverageRow(ch.Team.Name, ch.Team.ID, ch.CoverageFigures, l))
	}
	c.Height = 90 + 22*4*len(children)
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: teamCategories(names, depths), Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "32", Top: "56", Bottom: "24", ContainLabel: opts.Bool(true)}),
	)
	for _, s := range coverageSeries {
		data := make([]opts.BarData, len(children))
		tips := make([][]string, len(children))
		for i, ch := range children {
			v := ch.Share(s.count(ch.CoverageFigures))
			data[i] = opts.BarData{Value: pct1(v)}
			tips[i] = []string{ch.Team.Name, l.T("coverage.tip.share", l.T(s.key), l.Pct(v)), l.T("coverage.tip.clients", s.count(ch.CoverageFigures), ch.Clients)}
		}
		bar.AddSeries(l.T(s.key), data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}))
		c.tips = append(c.tips, tips)
	}
	m := optionOf(bar, &c)
	setAxis(m, "yAxis", "triggerEvent", true)
	finish(m)
	c.option = m
	return c
}
