package analytics

import (
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// RankingChart draws chart 3: the teams of the group (the leaves of its
// tree) ranked by the lower bound of their adoption gap index's interval,
// surest large gap first, each with an interval,
// against the group's own index. The interval is the index's own, from
// its respondents' scores with clustering and the finite population
// (index.go).
func RankingChart(t *GapTable, l Locale) Chart {
	c := Chart{ID: "ranking", Intervals: true, Title: l.T("chart.ranking.title"), Lead: l.T("chart.ranking.lead"), Hint: l.T("chart.ranking.lead_hint")}
	teams := leaves(t)
	if len(teams) > maxRanked {
		teams = level(t)
		c.Note = l.T("chart.ranking.note", len(leaves(t)), len(teams))
	}
	c.Table = Table{Caption: l.T("chart.ranking.caption", t.K),
		Head: []string{l.T("chart.team"), l.T("chart.index"), l.T("chart.ci_head"), l.T("chart.responses")}}
	if len(teams) == 0 {
		c.Empty = l.T("chart.ranking.none")
		return c
	}
	// Ranked by the interval's lower bound: a team ranks high only when its
	// gap is surely large, so a team of five with a 76-point interval is
	// not crowned for one lucky answer; ties by the index.
	sort.SliceStable(teams, func(i, j int) bool {
		a, b := teams[i], teams[j]
		if a.IndexShown != b.IndexShown {
			return a.IndexShown
		}
		if !a.IndexShown {
			return false
		}
		ia, _ := indexInterval(a)
		ib, _ := indexInterval(b)
		if la, lb := ia.Low, ib.Low; la != lb {
			return la > lb
		}
		return a.Index > b.Index
	})
	names := make([]string, len(teams))
	sc := charts.NewScatter()
	var tips [][][]string
	lo, hi := 0.0, 0.0 // the axis spans 0 and every interval
	for _, r := range teams {
		if iv, ok := indexInterval(r); r.IndexShown && ok {
			lo, hi = min(lo, iv.Low), max(hi, iv.High)
		} else if r.IndexShown {
			lo, hi = min(lo, r.Index), max(hi, r.Index)
		}
	}
	lo, hi = math.Floor(lo*10)*10, math.Ceil(hi*10)*10
	var pts, withheld []opts.ScatterData
	var ptTips, wTips [][]string
	for i, r := range teams {
		names[i] = ShortLabel(r.Team.Name, AxisWidth, 2)
		c.Teams = append(c.Teams, r.Team.ID)
		if !r.IndexShown {
			withheld = append(withheld, opts.ScatterData{Value: []any{lo, i}})
			wTips = append(wTips, []string{r.Team.Name, l.T("chart.index_withheld", t.K)})
			c.Table.Rows = append(c.Table.Rows, TableRow{Team: r.Team.ID, Header: r.Team.Name, Withheld: true,
				Cells: []TableCell{l.withheld(t.K), l.withheld(t.K), respCell(r, t.K, l)}})
			continue
		}
		iv, ok := indexInterval(r)
		ciText, ciTd := l.T("chart.index_no_ci"), TableCell{Text: l.T("chart.index_no_ci")}
		if ok {
			sc.AddSeries("", []opts.ScatterData{{Value: []any{pct1(iv.Low), i}}, {Value: []any{pct1(iv.High), i}}}, band(colPositive), onValueAxis(0, 0))
			tips = append(tips, nil)
			ciText, ciTd = l.CI(iv, true), ciCell(iv, true, l)
		}
		pts = append(pts, opts.ScatterData{Value: []any{pct1(r.Index), i}})
		ptTips = append(ptTips, []string{r.Team.Name, l.T("chart.tip.index", l.PP(r.Index)), ciText,
			l.T("chart.tip.index_n", r.IndexFig.N), l.T("chart.tip.responses", r.Responses)})
		c.Table.Rows = append(c.Table.Rows, TableRow{Team: r.Team.ID, Header: r.Team.Name,
			Cells: []TableCell{numCell(l.PP(r.Index), r.Index*100), ciTd, count(r.Responses)}})
	}
	sc.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	sc.AddSeries(l.T("chart.index"), pts, symbol(colPositive, 12), labelRight("dg:signedX"))
	sc.AddSeries(l.T("chart.withheld_legend", t.K), withheld, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.SymbolSize = 0 }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: l.T("chart.withheld_legend", t.K), Color: "#4a4a4a"}))
	tips = append(tips, ptTips, wTips)
	m := optionOf(sc, &c)
	silenceBands(m, tips)
	rankingAxes(m, names, t, lo, hi, l)
	finish(m)
	// A row of 28 px holds a name on two lines of 13 px: at 24, two lines
	// touched the next row's wherever a CJK font sets ECharts' line height
	// (charts.js makes it the font's size everywhere).
	c.Height = 90 + 28*len(teams)
	c.option, c.tips = m, tips
	return c
}

func labelRight(formatter string) charts.SeriesOpts {
	return charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: formatter})
}

func respCell(r *GapRow, k int, l Locale) TableCell {
	if !r.Shown {
		return l.withheld(k)
	}
	return count(r.Responses)
}

// maxRanked is the most teams a ranking draws; a larger group ranks the
// deepest level of its tree that fits instead.
const maxRanked = 60

// level returns the rows of the deepest level below the group that has at
// most maxRanked rows (the first level, whatever its size, at least).
func level(t *GapTable) []*GapRow {
	count := map[int]int{}
	for _, r := range t.Rows {
		count[r.Depth]++
	}
	d := 1
	for count[d+1] > 0 && count[d+1] <= maxRanked {
		d++
	}
	var out []*GapRow
	for i := range t.Rows {
		if t.Rows[i].Depth == d {
			out = append(out, &t.Rows[i])
		}
	}
	return out
}

// leaves are the rows of t without sub-rows: the teams people work in.
func leaves(t *GapTable) []*GapRow {
	var out []*GapRow
	for i := range t.Rows {
		last := i == len(t.Rows)-1
		if i > 0 && (last || t.Rows[i+1].Depth <= t.Rows[i].Depth) {
			out = append(out, &t.Rows[i])
		}
	}
	return out
}

// indexInterval is a row's index interval from its respondents' scores
// (index.go); without one (vectors older than the score counters whose
// answers are purged) it is the uninformative [−1, 1], so that such a
// team ranks last and draws no band.
func indexInterval(r *GapRow) (Interval, bool) {
	if !r.IndexFig.HasCI {
		return Interval{-1, 1}, false
	}
	return r.IndexFig.CI, true
}

// rankingAxes: teams on a category axis, the index on a value axis in
// points, the group's own index as a reference line.
func rankingAxes(m map[string]any, names []string, t *GapTable, lo, hi float64, l Locale) {
	m["grid"] = []map[string]any{{"left": 32, "right": 60, "top": 40, "bottom": 40, "containLabel": true}}
	m["xAxis"] = []map[string]any{{"type": "value", "min": lo, "max": hi, "axisLabel": map[string]any{"formatter": "dg:ppAxis"},
		"name": l.T("chart.ranking.axis"), "nameLocation": "middle", "nameGap": 26}}
	m["yAxis"] = []map[string]any{{"type": "category", "data": names, "inverse": true, "triggerEvent": true, "axisLabel": map[string]any{"interval": 0, "lineHeight": 13}}}
	root := t.Rows[0]
	lines := []any{map[string]any{"xAxis": 0, "name": "", "lineStyle": map[string]any{"color": colMuted, "type": "solid"}}}
	if root.IndexShown {
		lines = append(lines, map[string]any{"xAxis": pct1(root.Index), "name": l.T("chart.ranking.group", root.Team.Name, l.PP(root.Index))})
	}
	ser := series(m)
	ser[len(ser)-2]["markLine"] = map[string]any{"symbol": "none", "silent": true, "data": lines,
		"lineStyle": map[string]any{"color": colRef, "type": "dashed"},
		"label":     map[string]any{"formatter": "{b}", "position": "start", "color": colRef, "fontWeight": "bold"}}
}
