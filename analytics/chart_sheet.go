package analytics

import (
	"strconv"
	"strings"
)

// Sheet turns a chart's table view into a spreadsheet table, so the CSV and
// XLSX links of a page open cleanly in Excel: numbers as numbers (decimal
// comma and ";" for French, by WriteCSV), one value per cell, an interval
// in two columns headed "<column> low/high" (the words given), withheld
// figures as their marker text, never as a blank a sum would read as 0.
// The caption becomes the note row above the header.
func (t *Table) Sheet(low, high string) *Sheet {
	if low == "" {
		low, high = "low", "high"
	}
	span := make([]bool, len(t.Head))
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			if c.High != "" && i+1 < len(span) {
				span[i+1] = true
			}
		}
	}
	s := &Sheet{Name: t.Caption, Note: t.Caption}
	for i, h := range t.Head {
		h = strings.TrimSpace(h)
		if span[i] {
			s.Header = append(s.Header, h+" "+low, h+" "+high)
			continue
		}
		s.Header = append(s.Header, h)
	}
	for _, r := range t.Rows {
		row := []Cell{text(strings.TrimSpace(r.Header))}
		for i, c := range r.Cells {
			row = append(row, rawCell(c.Raw))
			if i+1 < len(span) && span[i+1] {
				row = append(row, rawCell(c.High))
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

// rawCell reads a table figure: a number keeps its decimals, an empty one
// is blank, anything else (the withheld marker) stays text.
func rawCell(raw string) Cell {
	if raw == "" {
		return Cell{Blank: true}
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return text(raw)
	}
	digits := 0
	if i := strings.IndexByte(raw, '.'); i >= 0 {
		digits = len(raw) - i - 1
	}
	return num(v, digits)
}
