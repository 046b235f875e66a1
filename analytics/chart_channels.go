package analytics

import (
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"digigap/survey"
)

// ChannelsChart draws chart 2 for one group: per channel, the share of
// regular private users and of regular work users, joined (a dumbbell) over
// their 95 % intervals, channels with the widest Gap first; the share
// blocked at work on its own panel; HR's reference values for a channel as
// short marks on its row. Withheld channels keep their row, with the label.
func ChannelsChart(s *GroupSummary, refs []survey.ReferenceValue, l Locale) Chart {
	c := Chart{ID: "channels", Intervals: true, Title: l.T("chart.channels.title"), Lead: l.T("chart.channels.lead")}
	cells := orderByGap(channelCells(s.Def.ChannelIDs(), &s.Row))
	n := len(cells)
	labels := make([]string, n)
	for i, cell := range cells {
		labels[i] = channelLabel(s.Def, cell.ID, l)
	}
	c.Table = channelsTable(cells, labels, s.K, l)
	c.Table.Caption += refCaption(refs, func(r survey.ReferenceValue) bool { return r.Channel != survey.AllChannels }, l)
	rows := make([]string, n) // axis labels, shortened between words
	for i, lb := range labels {
		rows[i] = ShortLabel(lb, AxisWidth, 2)
	}
	c.Height = 110 + 44*n
	sc := charts.NewScatter()
	sc.SetGlobalOptions(initOpts(),
		charts.WithTooltipOpts(baseTooltip("item")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0",
			Data: []string{l.T("chart.private"), l.T("chart.work"), l.T("chart.blocked")}}),
	)
	var tips [][][]string
	add := func(name string, data []opts.ScatterData, tip [][]string, o ...charts.SeriesOpts) {
		sc.AddSeries(name, data, o...)
		tips = append(tips, tip)
	}
	var shown bool
	for i, cell := range cells {
		if !cell.Shown {
			continue
		}
		shown = true
		f := cell.ChannelFigures
		y := float64(i)
		add("", pts([2]float64{f.PCI.Low, y}, [2]float64{f.PCI.High, y}), nil, band(colPrivate))
		add("", pts([2]float64{f.QCI.Low, y}, [2]float64{f.QCI.High, y}), nil, band(colWork))
		add("", pts([2]float64{f.P, y}, [2]float64{f.Q, y}), nil, band(colMuted), lineWidth(3))
	}
	var pData, qData, wData []opts.ScatterData
	var pTips, wTips [][]string
	for i, cell := range cells {
		if !cell.Shown {
			wData = append(wData, opts.ScatterData{Value: []float64{50, float64(i)}})
			wTips = append(wTips, []string{labels[i], l.T("chart.withheld_legend", s.K)})
			continue
		}
		f := cell.ChannelFigures
		pData = append(pData, opts.ScatterData{Value: []float64{pct1(f.P), float64(i)}})
		qData = append(qData, opts.ScatterData{Value: []float64{pct1(f.Q), float64(i)}})
		pTips = append(pTips, channelTip(labels[i], f, l))
	}
	add(l.T("chart.private"), pData, pTips, onValueAxis(0, 1), symbol(colPrivate, 14))
	add(l.T("chart.work"), qData, pTips, onValueAxis(0, 1), symbol(colWork, 14))
	add(l.T("chart.withheld_legend", s.K), wData, wTips, onValueAxis(0, 1), charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.SymbolSize = 0 }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: l.T("chart.withheld_legend", s.K), Color: "#4a4a4a"}))
	m := optionOf(sc, &c)
	silenceBands(m, tips)
	blocked, blockedTips := blockedSeries(cells, labels, l)
	m["series"] = append(m["series"].([]any), blocked)
	tips = append(tips, blockedTips)
	refSeries, refTips := channelRefs(cells, refs, l)
	if refSeries != nil {
		m["series"] = append(m["series"].([]any), refSeries)
		tips = append(tips, refTips)
	}
	dumbbellAxes(m, rows, blockedMax(cells), l)
	finish(m)
	if !shown {
		c.Empty = l.T("chart.all_withheld", s.K)
	}
	c.option, c.tips = m, tips
	return c
}

// orderByGap puts the shown channels first, widest Gap first.
func orderByGap(cells []channelCell) []channelCell {
	out := append([]channelCell(nil), cells...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Shown != out[j].Shown {
			return out[i].Shown
		}
		return out[i].Shown && out[i].Gap > out[j].Gap
	})
	return out
}

func channelLabel(def *survey.Definition, id string, l Locale) string {
	for _, ch := range def.Channels {
		if ch.ID == id {
			return ch.Label.In(l.Lang)
		}
	}
	return id
}

func channelTip(label string, f ChannelFigures, l Locale) []string {
	return []string{label,
		l.T("chart.tip.private", l.Pct(f.P)) + " (" + l.CI(f.PCI, false) + ")",
		l.T("chart.tip.work", l.Pct(f.Q)) + " (" + l.CI(f.QCI, false) + ")",
		l.T("chart.tip.gap", l.PP(f.Gap), l.CI(f.GapCI, true)),
		l.T("chart.tip.n", f.N)}
}

// pts is a two-point segment in percent on the dumbbell's value axes.
func pts(a, b [2]float64) []opts.ScatterData {
	return []opts.ScatterData{{Value: []float64{pct1(a[0]), a[1]}}, {Value: []float64{pct1(b[0]), b[1]}}}
}

// band draws a segment as a line series on the hidden value axis.
func band(color string) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Type, s.XAxisIndex, s.YAxisIndex, s.Symbol, s.Color, s.Id = "line", 0, 1, "none", color, bandID
		s.LineStyle = &opts.LineStyle{Width: 9, Opacity: opts.Float(0.3), Color: color}
	})
}

func lineWidth(w float32) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.LineStyle.Width, s.LineStyle.Opacity = w, opts.Float(1) })
}

func onValueAxis(x, y int) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.XAxisIndex, s.YAxisIndex = x, y })
}

func symbol(color string, size int) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.SymbolSize, s.Color = size, color
		s.ItemStyle = &opts.ItemStyle{Color: color, BorderColor: "#ffffff", BorderWidth: 1}
	})
}

// bandID marks the segments (intervals, connectors) until silenceBands
// makes them silent: they carry no tooltip of their own.
const bandID = "dg-band"

func silenceBands(m map[string]any, tips [][][]string) {
	for i, ser := range series(m) {
		if ser["id"] == bandID {
			delete(ser, "id")
			ser["silent"] = true
			tips[i] = nil
		}
	}
}

func series(m map[string]any) []map[string]any {
	list, _ := m["series"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, s := range list {
		if ser, ok := s.(map[string]any); ok {
			out = append(out, ser)
		}
	}
	return out
}

// blockedMax is the blocked panel's scale: the widest bar, rounded up,
// at least 50 %, so a small share does not look large.
func blockedMax(cells []channelCell) float64 {
	top := 0.5
	for _, c := range cells {
		if c.Shown {
			top = max(top, c.Blocked)
		}
	}
	return math.Ceil(top*10) * 10
}
