package analytics

import "digigap/survey"

// Decimals of the JSON figures: shares and ratios to 4 places, percentage
// points to 2, frequency means to 3.
const (
	decShare = 4
	decPP    = 2
	decMean  = 3
)

// AppendJSON writes the gap table as the API's JSON answer (see
// api/openapi.yaml, GapTable): withheld figures are null next to
// "suppressed": true. Labels are in lang.
func (t *GapTable) AppendJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	w.raw("{")
	w.key("campaign")
	writeCampaign(w, t.Campaign, t.Phase)
	w.key("live")
	w.bool(t.Live)
	w.key("threshold")
	w.int(int64(t.K))
	w.key("compare")
	if t.Compare != nil {
		writeCampaign(w, t.Compare, "")
	} else {
		w.null()
	}
	w.key("channels")
	writeChannels(w, t.Def, t.Channels, lang)
	w.key("rows")
	w.raw("[")
	for r := range t.Rows {
		if r > 0 {
			w.raw(",")
		}
		t.writeRow(w, &t.Rows[r])
	}
	w.raw("]}")
	return w.b
}

func writeCampaign(w *jw, c *survey.Campaign, phase string) {
	w.raw("{")
	w.key("id")
	w.int(c.ID)
	w.key("name")
	w.str(c.Name)
	if phase != "" {
		w.key("phase")
		w.str(phase)
	}
	w.key("opens_on")
	w.str(c.OpensOn)
	w.key("closes_on")
	w.str(c.ClosesOn)
	w.key("min_group")
	w.int(int64(c.MinGroup))
	w.raw("}")
}

func writeChannels(w *jw, def *survey.Definition, ids []string, lang string) {
	w.raw("[")
	for i, id := range ids {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.str(id)
		w.key("label")
		w.str(def.Channels[i].Label.In(lang))
		w.raw("}")
	}
	w.raw("]")
}

func writeTeam(w *jw, t *survey.Team) {
	w.raw("{")
	w.key("id")
	w.int(t.ID)
	w.key("code")
	w.str(t.Code)
	w.key("name")
	w.str(t.Name)
	w.key("parent_id")
	if t.ParentID != nil {
		w.int(*t.ParentID)
	} else {
		w.null()
	}
	w.raw("}")
}

func (t *GapTable) writeRow(w *jw, row *GapRow) {
	w.raw("{")
	w.key("team")
	writeTeam(w, row.Team)
	w.key("depth")
	w.int(int64(row.Depth))
	w.key("headcount")
	w.int(int64(row.Headcount))
	w.key("suppressed")
	w.bool(!row.Shown)
	w.key("responses")
	optInt(w, row.Shown, row.Responses)
	w.key("participation")
	optNum(w, row.Shown && row.Headcount > 0, row.Participation, decShare)
	w.key("adoption_gap_index_pp")
	optNum(w, row.IndexShown, row.Index*100, decPP)
	w.key("index_suppressed")
	w.bool(!row.IndexShown)
	if row.IndexChange != nil {
		w.key("index_change_pp")
		optNum(w, row.IndexChange.Shown, row.IndexChange.Gap*100, decPP)
	}
	w.key("cells")
	w.raw("[")
	for c := range row.Cells {
		if c > 0 {
			w.raw(",")
		}
		writeCell(w, t.Channels[c], &row.Cells[c])
	}
	w.raw("]}")
}

func writeCell(w *jw, channel string, c *GapCell) {
	w.raw(`{"channel":`)
	w.str(channel)
	w.key("suppressed")
	w.bool(!c.Shown)
	f := &c.ChannelFigures
	w.key("n")
	optInt(w, c.Shown, f.N)
	w.key("p")
	optNum(w, c.Shown, f.P, decShare)
	w.key("p_ci")
	optInterval(w, c.Shown, f.PCI, 1, decShare)
	w.key("q")
	optNum(w, c.Shown, f.Q, decShare)
	w.key("q_ci")
	optInterval(w, c.Shown, f.QCI, 1, decShare)
	w.key("gap_pp")
	optNum(w, c.Shown, f.Gap*100, decPP)
	w.key("gap_ci_pp")
	optInterval(w, c.Shown, f.GapCI, 100, decPP)
	w.key("transfer_ratio")
	optNum(w, c.Shown && f.HasRatio, f.Transfer, decShare)
	w.key("blocked_share")
	optNum(w, c.Shown, f.Blocked, decShare)
	w.key("intensity_gap")
	optNum(w, c.Shown, f.Intensity, decMean)
	if c.Change != nil {
		w.key("change")
		writeChange(w, c.Change)
	}
	w.raw("}")
}

func writeChange(w *jw, c *Change) {
	w.raw("{")
	w.key("suppressed")
	w.bool(!c.Shown)
	w.key("gap_pp")
	optNum(w, c.Shown, c.Gap*100, decPP)
	w.key("gap_ci_pp")
	optInterval(w, c.Shown, c.GapCI, 100, decPP)
	w.key("p")
	optNum(w, c.Shown, c.P, decShare)
	w.key("p_ci")
	optInterval(w, c.Shown, c.PCI, 1, decShare)
	w.key("q")
	optNum(w, c.Shown, c.Q, decShare)
	w.key("q_ci")
	optInterval(w, c.Shown, c.QCI, 1, decShare)
	w.raw("}")
}

func optInt(w *jw, ok bool, v int) {
	if ok {
		w.int(int64(v))
	} else {
		w.null()
	}
}

func optNum(w *jw, ok bool, v float64, dec int) {
	if ok {
		w.num(v, dec)
	} else {
		w.null()
	}
}

func optInterval(w *jw, ok bool, ci Interval, scale float64, dec int) {
	if ok {
		w.interval(ci, scale, dec)
	} else {
		w.null()
	}
}
