package analytics

import (
	"strconv"
)

// Compact layout of the gap table (?format=compact): the same released
// figures as AppendJSON, with the same decimals, written as arrays whose
// columns are named once in "columns". A withheld figure is null, a
// withheld cell is null as a whole: "suppressed" flags are not repeated,
// since a null says the same. The org-wide table of about 2,000 teams
// weighs about a third of the object layout, before compression.
var (
	compactRowColumns = []string{"team_id", "code", "name", "parent_id", "depth", "headcount",
		"responses", "participation", "adoption_gap_index_pp",
		"index_n", "index_ci_pp", "index_deff", "index_fpc", "index_wide", "cells"}
	compactCompareColumns = []string{"comparable", "same_population", "population", "compare_population",
		"index_change_pp", "index_change_ci_pp"}
	compactCellColumns = []string{"n", "p", "p_ci", "q", "q_ci", "gap_pp", "gap_ci_pp",
		"transfer_ratio", "blocked_share", "intensity_gap", "deff_gap", "fpc", "wide"}
	compactChangeColumns = []string{"gap_pp", "gap_ci_pp", "p", "p_ci", "q", "q_ci"}
)

// AppendCompactJSON writes the gap table in the compact layout (see
// api/openapi.yaml, GapTableCompact). Labels are in lang.
func (t *GapTable) AppendCompactJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	w.raw(`{"format":"compact"`)
	t.writeHead(w, lang)
	compared := t.Compare != nil
	w.key("columns")
	w.raw("{")
	w.key("row")
	rowCols := compactRowColumns
	cellCols := compactCellColumns
	if compared {
		rowCols = append(append([]string(nil), rowCols...), compactCompareColumns...)
		cellCols = append(append([]string(nil), cellCols...), "change")
	}
	w.strs(rowCols)
	w.key("cell")
	w.strs(cellCols)
	if compared {
		w.key("change")
		w.strs(compactChangeColumns)
	}
	w.raw("}")
	w.key("rows")
	w.raw("[")
	for r := range t.Rows {
		if r > 0 {
			w.raw(",")
		}
		t.writeCompactRow(w, &t.Rows[r])
	}
	w.raw("]}")
	return w.b
}

func (t *GapTable) writeCompactRow(w *jw, row *GapRow) {
	w.raw("[")
	w.int(row.Team.ID)
	w.raw(",")
	w.str(row.Team.Code)
	w.raw(",")
	w.str(row.Team.Name)
	w.raw(",")
	if row.Team.ParentID != nil {
		w.int(*row.Team.ParentID)
	} else {
		w.null()
	}
	w.raw(",")
	w.int(int64(row.Depth))
	w.raw(",")
	w.int(int64(row.Headcount))
	w.raw(",")
	optInt(w, row.Shown, row.Responses)
	w.raw(",")
	optNum(w, row.Shown && row.Headcount > 0, row.Participation, decShare)
	w.raw(",")
	optNum(w, row.IndexShown, row.Index*100, decPP)
	writeIndexFiguresAs(w, func(string) { w.raw(",") }, row.IndexShown, &row.IndexFig, row.Index)
	w.raw(",[")
	for c := range row.Cells {
		if c > 0 {
			w.raw(",")
		}
		var change *Change
		if row.Changes != nil {
			change = &row.Changes[c]
		}
		writeCompactCell(w, &row.Cells[c], t.Compare != nil, change)
	}
	w.raw("]")
	if t.Compare != nil {
		w.raw(",")
		if row.IndexChange != nil {
			w.bool(row.Comparable)
			w.raw(",")
			w.bool(row.SamePopulation())
			w.raw(",")
			optInt(w, row.Comparable, row.Populations[0])
			w.raw(",")
			optInt(w, row.Comparable, row.Populations[1])
			w.raw(",")
			optNum(w, row.IndexChange.Shown, row.IndexChange.Gap*100, decPP)
			w.raw(",")
			optInterval(w, row.IndexChange.HasIntervals, row.IndexChange.GapCI, 100, decPP)
		} else {
			w.raw("null,null,null,null,null,null")
		}
	}
	w.raw("]")
}

// writeCompactCell writes a cell's figures in compactCellColumns order,
// and its change when the table compares, or null for a withheld cell.
func writeCompactCell(w *jw, c *GapCell, compared bool, change *Change) {
	if !c.Shown {
		if !compared || change == nil || !change.Shown {
			w.null()
			return
		}
	}
	w.raw("[")
	if c.Shown {
		f, b := &c.ChannelFigures, w.b
		b = strconv.AppendInt(b, int64(f.N), 10)
		b = append(b, ',')
		b = appendNum(b, f.P, decShare)
		b = append(b, ',')
		b = appendInterval(b, f.PCI, 1, decShare)
		b = append(b, ',')
		b = appendNum(b, f.Q, decShare)
		b = append(b, ',')
		b = appendInterval(b, f.QCI, 1, decShare)
		b = append(b, ',')
		b = appendNum(b, f.Gap*100, decPP)
		b = append(b, ',')
		b = appendInterval(b, f.GapCI, 100, decPP)
		b = append(b, ',')
		if f.HasRatio {
			b = appendNum(b, f.Transfer, decShare)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, ',')
		b = appendNum(b, f.Blocked, decShare)
		b = append(b, ',')
		b = appendNum(b, f.Intensity, decMean)
		b = append(b, ',')
		b = appendNum(b, max(f.Design.DeffGap, 1), decMean)
		b = append(b, ',')
		b = appendNum(b, fpcOf(f.Design), decShare)
		b = append(b, ',')
		w.b = strconv.AppendBool(b, f.Wide())
	} else {
		w.raw("null,null,null,null,null,null,null,null,null,null,null,null,null")
	}
	if compared {
		w.raw(",")
		writeCompactChange(w, change)
	}
	w.raw("]")
}

// writeCompactChange writes a change in compactChangeColumns order, null
// when withheld.
func writeCompactChange(w *jw, c *Change) {
	if c == nil || !c.Shown {
		w.null()
		return
	}
	w.raw("[")
	w.num(c.Gap*100, decPP)
	w.raw(",")
	w.interval(c.GapCI, 100, decPP)
	w.raw(",")
	w.num(c.P, decShare)
	w.raw(",")
	w.interval(c.PCI, 1, decShare)
	w.raw(",")
	w.num(c.Q, decShare)
	w.raw(",")
	w.interval(c.QCI, 1, decShare)
	w.raw("]")
}
