package analytics

import (
	"fmt"
	"math"
	"strings"
)

// Locale carries what a chart needs to speak the reader's language: the
// language of questionnaire texts and the page's message catalogue.
type Locale struct {
	Lang string
	T    func(key string, args ...any) string
}

// Pct formats a proportion as a whole percentage: "73 %" in French, "73%"
// in English.
func (l Locale) Pct(p float64) string {
	v := int(math.Round(p * 100))
	if l.Lang == "fr" {
		return fmt.Sprintf("%d\u202f%%", v)
	}
	return fmt.Sprintf("%d%%", v)
}

// PP formats a difference of proportions in signed percentage points.
func (l Locale) PP(d float64) string {
	return l.T("chart.pp", signed(int(math.Round(d*100))))
}

// CI formats an interval of proportions (points when diff is true).
func (l Locale) CI(iv Interval, diff bool) string {
	f := func(x float64) string { return fmt.Sprint(int(math.Round(x * 100))) }
	if diff {
		f = func(x float64) string { return signed(int(math.Round(x * 100))) }
	}
	return l.T("chart.ci", f(iv.Low), f(iv.High))
}

func signed(v int) string {
	if v > 0 {
		return fmt.Sprintf("+%d", v)
	}
	if v < 0 {
		return fmt.Sprintf("\u2212%d", -v) // a real minus sign
	}
	return "0"
}

// Table is the table view of a chart (accessibility) and its CSV export.
type Table struct {
	Caption string
	Head    []string // column headers; the first heads the row headers
	Rows    []TableRow
}

// TableRow is one row: a row header (a team, a channel…) and its cells.
type TableRow struct {
	Team     int64 // the team of the row, for a drill-down link; 0 if none
	Header   string
	Cells    []TableCell
	Withheld bool // the whole row is withheld
}

// TableCell is one figure: Text for the page, Raw for the CSV (a number with a
// dot, or the withheld marker — never an empty cell a sum would read as 0).
type TableCell struct {
	Text, Raw string
	// High is the upper bound of an interval, whose Raw is the lower one:
	// a spreadsheet gets them in two columns.
	High string
}

// num is a shown figure: percentage text and a one-decimal raw number.
func numCell(text string, raw float64) TableCell {
	return TableCell{Text: text, Raw: strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", raw), "0"), ".")}
}

// count is a shown count.
func count(n int) TableCell {
	s := fmt.Sprint(n)
	return TableCell{Text: s, Raw: s}
}

// withheld is a figure withheld below the threshold k.
func (l Locale) withheld(k int) TableCell {
	return TableCell{Text: l.T("chart.withheld_short", k), Raw: l.T("chart.withheld_raw", k)}
}

// withheldUnanimous is a figure withheld by the unanimous-cell policy:
// under 2k people who all answered alike (unanimous.go).
func (l Locale) withheldUnanimous(k int) TableCell {
	return TableCell{Text: l.T("chart.unanimous_short"), Raw: l.T("chart.unanimous_legend", 2*k)}
}

// CSV returns the table as CSV records, header first, an interval in two
// columns. Texts that a spreadsheet would run as a formula (a team named
// "=HYPERLINK(…)") are quoted with a leading apostrophe.
func (t *Table) CSV() [][]string {
	s := t.Sheet("", "")
	out := [][]string{s.Header}
	for _, row := range s.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = c.csv("en")
		}
		out = append(out, rec)
	}
	return out
}

func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// fmtMean writes a mean on the 1–5 scale with one decimal (a comma in French).
func fmtMean(v float64, l Locale) string {
	s := fmt.Sprintf("%.1f", v)
	if l.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
