package analytics

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteCSV renders s as CSV for a spreadsheet in lang: French uses ";"
// between fields and a decimal comma, as French spreadsheets expect;
// a byte-order mark tells them the file is UTF-8. Text that a spreadsheet
// would run as a formula is prefixed with an apostrophe.
func (s *Sheet) WriteCSV(lang string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	if lang == "fr" {
		w.Comma = ';'
	}
	_ = w.Write([]string{defuse(s.Note)})
	head := make([]string, len(s.Header))
	for i, h := range s.Header {
		head[i] = defuse(h)
	}
	_ = w.Write(head)
	rec := make([]string, 0, len(s.Header))
	for _, row := range s.Rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, c.csv(lang))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

func (c Cell) csv(lang string) string {
	switch {
	case c.Blank:
		return ""
	case c.IsNum:
		s := strconv.FormatFloat(c.Num, 'f', c.Digits, 64)
		if lang == "fr" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return defuse(c.Text)
}

// defuse keeps a spreadsheet from reading text (a team name) as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteXLSX renders s as one worksheet: the note, the header, then the
// rows with numbers as numbers and withheld figures as empty cells.
func (s *Sheet) WriteXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(s.Name)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{s.Note}); err != nil {
		return nil, err
	}
	header := make([]any, len(s.Header))
	for i, h := range s.Header {
		header[i] = h
	}
	if err := sw.SetRow("A2", header); err != nil {
		return nil, err
	}
	for r, row := range s.Rows {
		vals := make([]any, len(row))
		for i, c := range row {
			switch {
			case c.Blank:
				vals[i] = nil
			case c.IsNum:
				vals[i] = c.Num
			default:
				vals[i] = c.Text
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+3)
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sheetName fits Excel's rules: at most 31 characters, none of []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "digigap"
	}
	return s
}
