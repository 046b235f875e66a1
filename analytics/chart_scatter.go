package analytics

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ScatterChart draws each branch twice: its clients with a mobile number
// against its staff's regular professional use of SMS, and its clients
// with an e-mail address against their use of e-mail. A withheld staff
// figure leaves its point out; the table says which.
func ScatterChart(s *Scatter, l Locale) Chart {
	c := Chart{ID: "coverage-scatter", Title: l.T("coverage.scatter.title"), Lead: l.T("coverage.scatter.lead"), Height: 380}
	c.Table = scatterTable(s, l)
	if s == nil || len(s.Points) == 0 {
		c.Empty = l.T("coverage.scatter.none")
		return c
	}
	c.Table.Caption = l.T("coverage.scatter.caption", s.Campaign.Name, s.Period, s.K)
	sc := charts.NewScatter()
	sc.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: l.T("coverage.scatter.x"), NameLocation: "middle", NameGap: 28, Min: 0, Max: 100,
			AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: l.T("coverage.scatter.y"), NameLocation: "middle", NameGap: 44, Min: 0, Max: 100,
			AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		charts.WithGridOpts(opts.Grid{Left: "24", Right: "32", Top: "64", Bottom: "48", ContainLabel: opts.Bool(true)}),
	)
	for _, ser := range []struct {
		key, color string
		pick       func(p ScatterPoint) (GapCell, bool, float64)
	}{
		{"coverage.scatter.sms", colPrivate, func(p ScatterPoint) (GapCell, bool, float64) { return p.SMS, p.SMSAsked, p.MobileShare }},
		{"coverage.scatter.email", colWork, func(p ScatterPoint) (GapCell, bool, float64) { return p.Email, p.EmailAsked, p.MailShare }},
	} {
		var data []opts.ScatterData
		var tips [][]string
		for _, p := range s.Points {
			cell, asked, cov := ser.pick(p)
			if !asked || !cell.Shown {
				continue // withheld: no point, never a guess
			}
			d := opts.ScatterData{Name: p.Team.Name, Value: []any{pct1(cov), pct1(cell.Q)}, SymbolSize: 12}
			if p.Team.ID == s.Highlight && len(s.Points) > 1 {
				d.Symbol, d.SymbolSize = "diamond", 22 // the reader's own branch
			}
			data = append(data, d)
			tips = append(tips, []string{p.Team.Name, l.T("coverage.tip.share", l.T("coverage.scatter.x"), l.Pct(cov)),
				l.T("coverage.tip.share", l.T("coverage.scatter.y"), l.Pct(cell.Q)), l.CI(cell.QCI, false)})
		}
		sc.AddSeries(l.T(ser.key), data, charts.WithItemStyleOpts(opts.ItemStyle{Color: ser.color}))
		c.tips = append(c.tips, tips)
	}
	m := optionOf(sc, &c)
	finish(m)
	c.option = m
	return c
}

func scatterTable(s *Scatter, l Locale) Table {
	t := Table{Caption: l.T("coverage.scatter.title"), Head: []string{l.T("chart.team"), l.T("coverage.mobile"), l.T("coverage.staff_sms"),
		l.T("coverage.email"), l.T("coverage.staff_email")}}
	if s == nil {
		return t
	}
	q := func(cell GapCell, asked bool) TableCell {
		switch {
		case !asked:
			return TableCell{Text: "—", Raw: ""}
		case !cell.Shown:
			return l.withheld(s.K)
		}
		return numCell(l.Pct(cell.Q), cell.Q*100)
	}
	for _, p := range s.Points {
		name := p.Team.Name
		if p.Team.ID == s.Highlight && len(s.Points) > 1 {
			name = l.T("coverage.scatter.own", name)
		}
		t.Rows = append(t.Rows, TableRow{Team: p.Team.ID, Header: name, Cells: []TableCell{
			numCell(l.Pct(p.MobileShare), p.MobileShare*100), q(p.SMS, p.SMSAsked),
			numCell(l.Pct(p.MailShare), p.MailShare*100), q(p.Email, p.EmailAsked)}})
	}
	return t
}
