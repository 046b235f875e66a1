package analytics

// Charts (DESIGN.md, issue #5): each chart_*.go file turns an engine result
// into a Chart — an ECharts option built with go-echarts, the table view of
// the same figures and, per drawn point, its tooltip text. Withheld figures
// never reach an option as numbers: they become grey cells or absent points
// with the "fewer than k answers" label.
//
// Safety: go-echarts writes options raw into an inline <script>; here no
// option is ever written as script. Spec encodes the option with
// encoding/json, which escapes <, >, & and U+2028/2029, so the bytes can sit
// inside a <script type="application/json"> block whatever a team name or a
// label holds, and static/js/charts.js reads them with JSON.parse. Options
// name their few formatter functions by string ("dg:…"), which charts.js
// maps to its own functions: no code travels in data, and the CSP needs no
// 'unsafe-inline' or 'unsafe-eval'.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"digigap/static"
)

// Chart is one chart ready for a page.
type Chart struct {
	ID     string // stable per chart kind: heatmap, channels, ranking, …
	Title  string
	Lead   string // one sentence saying how to read the chart
	Hint   string // what a click does: on screen only, never on paper
	Note   string // what a large group's chart leaves out, and where to find it
	Height int    // pixels the chart needs, from its number of rows
	// Empty, when not "", replaces the drawing: nothing can be drawn (every
	// figure withheld, a single wave, no sub-team…).
	Empty string
	// Teams are the team ids of the category axis, in order, for the
	// drill-down links (0 where a category is not a team).
	Teams []int64
	Table Table
	// Intervals says the chart shows intervals: the page then says what
	// they cover (chart.interval_note).
	Intervals bool

	option  map[string]any
	scripts []string
	tips    [][][]string // per series, per data item: tooltip lines
	links   []string
}

// SetLinks gives the drill-down URL of each category of Teams.
func (c *Chart) SetLinks(url func(teamID int64) string) {
	c.links = make([]string, len(c.Teams))
	for i, id := range c.Teams {
		if id != 0 {
			c.links[i] = url(id)
		}
	}
}

// spec is what charts.js reads.
type spec struct {
	Option map[string]any `json:"option"`
	Tips   [][][]string   `json:"tips,omitempty"`
	Links  []string       `json:"links,omitempty"`
}

// Spec is the chart's JSON for a <script type="application/json"> block:
// encoding/json escapes <, >, &, U+2028 and U+2029, so no text can close
// the block or start markup.
func (c *Chart) Spec() ([]byte, error) {
	if c.option == nil {
		return nil, fmt.Errorf("chart %s has no option", c.ID)
	}
	return json.Marshal(spec{Option: c.option, Tips: c.tips, Links: c.links})
}

// Drawn reports whether the chart has something to draw.
func (c Chart) Drawn() bool { return c.Empty == "" && c.option != nil }

// echart is what every go-echarts chart type offers.
type echart interface {
	Validate()
	JSON() map[string]any
	GetAssets() opts.Assets
}

// initOpts points go-echarts at the vendored ECharts (static.EChartsHost),
// never at its CDN. Pages draw on canvas (see static/js/charts.js).
func initOpts() charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{AssetsHost: static.EChartsHost, Renderer: "canvas"})
}

// Scripts are the script URLs go-echarts asks pages of this chart to load:
// under static.EChartsHost, never another host.
func (c Chart) Scripts() []string { return c.scripts }

// optionOf turns a go-echarts chart into a plain option map, so a builder
// can add what go-echarts does not model (visualMap.seriesIndex,
// markLine coordinates on a second axis, …). Validate fills the axes' data
// and the assets.
func optionOf(ch echart, c *Chart) map[string]any {
	ch.Validate()
	c.scripts = ch.GetAssets().JSAssets.Values
	b, err := json.Marshal(ch.JSON())
	if err != nil {
		panic(fmt.Sprintf("chart option: %v", err)) // only our own types reach here
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("chart option: %v", err))
	}
	delete(m, "toolbox") // no download-as-image button: the page has CSV and print
	return m
}

// Colours: a blue–red diverging scale readable by the colour-blind, with
// grey kept for withheld figures only.
const (
	colNegative = "#2166ac" // work use above private use
	colZero     = "#f7f7f7"
	colPositive = "#b2182b" // private use above work use: the Gap
	colPrivate  = "#1f78b4"
	colWork     = "#e66101"
	colWithheld = "#bdbdbd"
	colNeutral  = "#d9d9d9"
	colRef      = "#333333"
	colMuted    = "#9e9e9e"
)

// baseTooltip uses charts.js's formatter, which shows the item's tooltip
// lines from the spec and escapes every text.
func baseTooltip(trigger string) opts.Tooltip {
	return opts.Tooltip{Show: opts.Bool(true), Trigger: trigger, Formatter: "dg:tip"}
}

// finish sets what every chart shares: a tooltip kept inside the chart, no
// animation on print, the page's font.
func finish(m map[string]any) {
	if tt, ok := m["tooltip"].(map[string]any); ok {
		tt["confine"] = true
	}
	m["textStyle"] = map[string]any{"fontFamily": "system-ui, sans-serif", "fontSize": 12}
	m["animationDuration"] = 300
	compactData(m)
}

// compactData writes each series point that is only a value as the value
// itself ([x, y, v] rather than {"value": [x, y, v]}): ECharts reads both,
// and a large group's heatmap gets lighter by a tenth. Points with a style
// of their own keep their object.
func compactData(m map[string]any) {
	var series []map[string]any
	switch s := m["series"].(type) {
	case []map[string]any:
		series = s
	case []any:
		for _, x := range s {
			if sm, ok := x.(map[string]any); ok {
				series = append(series, sm)
			}
		}
	}
	for _, sm := range series {
		data, _ := sm["data"].([]any)
		for i, d := range data {
			if dm, ok := d.(map[string]any); ok && len(dm) == 1 {
				if v, ok := dm["value"]; ok {
					data[i] = v
				}
			}
		}
	}
}

// pct1 rounds a proportion to a percentage with one decimal, for options.
func pct1(p float64) float64 { return float64(int(p*1000+sign(p)*0.5)) / 10 }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// indent shows a team's depth in a table's row header.
func indent(name string, depth int) string {
	return strings.Repeat("\u2002\u2002", depth) + name
}

// teamCategories are the category-axis entries of teams: the group and its
// first level in bold, so the tree reads without indents (axis labels are
// right-aligned). Charts using them leave 32 px on the left, which
// containLabel does not reserve for bold text.
func teamCategories(names []string, depths []int) []map[string]any {
	out := make([]map[string]any, len(names))
	for i, n := range names {
		out[i] = map[string]any{"value": n}
		switch depths[i] {
		case 0:
			out[i]["textStyle"] = map[string]any{"fontWeight": "bold", "color": "#000000"}
		case 1:
			out[i]["textStyle"] = map[string]any{"fontWeight": "bold", "color": "#1b1b1b"}
		}
	}
	return out
}

// channelCell is one channel's cell of a row, with the channel's id and,
// when the row was compared with an earlier wave, its change.
type channelCell struct {
	ID string
	GapCell
	Change *Change
}

// channelCells pairs a row's cells with the channel ids they follow.
func channelCells(ids []string, row *GapRow) []channelCell {
	out := make([]channelCell, len(row.Cells))
	for i, c := range row.Cells {
		out[i] = channelCell{ID: ids[i], GapCell: c}
		if i < len(row.Changes) {
			out[i].Change = &row.Changes[i]
		}
	}
	return out
}
