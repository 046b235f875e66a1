package analytics

import (
	"slices"
	"strconv"
	"sync"

	"digigap/survey"
)

// Decimals of the JSON figures: shares and ratios to 4 places, percentage
// points to 2, frequency means to 3.
const (
	decShare = 4
	decPP    = 2
	decMean  = 3
)

// writeHead writes the fields both layouts start with: the campaign, its
// threshold, the campaign compared with (or null) and the channels.
func (t *GapTable) writeHead(w *jw, lang string) {
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
}

// AppendJSON writes the gap table as the API's JSON answer (see
// api/openapi.yaml, GapTable): withheld figures are null next to
// "suppressed": true. Labels are in lang.
func (t *GapTable) AppendJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	w.raw("{")
	t.writeHead(w, lang)
	w.key("rows")
	w.raw("[")
	w.b = t.appendRows(w.b)
	w.raw("]}")
	return w.b
}

// appendRows writes the rows, comma-separated, into b. A large table is
// written in parts on several cores, into pooled buffers, then joined.
func (t *GapTable) appendRows(b []byte) []byte {
	type part struct {
		from int
		buf  *[]byte
	}
	var mu sync.Mutex
	var parts []part
	inParallel(len(t.Rows), func(from, to int) {
		buf := partBuffers.Get().(*[]byte)
		w := jw{b: (*buf)[:0]}
		for r := from; r < to; r++ {
			if r > 0 {
				w.raw(",")
			}
			t.writeRow(&w, &t.Rows[r])
		}
		*buf = w.b
		mu.Lock()
		parts = append(parts, part{from, buf})
		mu.Unlock()
	})
	slices.SortFunc(parts, func(a, b part) int { return a.from - b.from })
	for _, p := range parts {
		b = append(b, *p.buf...)
		partBuffers.Put(p.buf)
	}
	return b
}

// partBuffers recycles the buffers of appendRows between answers.
var partBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

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

// writeTeamParticipation writes the fields every per-team row starts with:
// the team, its place, its headcount and its responses, withheld below k.
func writeTeamParticipation(w *jw, team *survey.Team, depth, headcount int, shown bool, responses int, rate float64) {
	w.key("team")
	writeTeam(w, team)
	w.key("depth")
	w.int(int64(depth))
	w.key("headcount")
	w.int(int64(headcount))
	w.key("suppressed")
	w.bool(!shown)
	w.key("responses")
	optInt(w, shown, responses)
	w.key("participation")
	optNum(w, shown && headcount > 0, rate, decShare)
	// A rate over 100 % is flagged with its reason (population.go).
	w.key("participation_flag")
	if OverHeadcount(shown, responses, headcount) {
		w.str(FlagHeadcountOutOfDate)
	} else {
		w.raw("null")
	}
}

func (t *GapTable) writeRow(w *jw, row *GapRow) {
	w.raw("{")
	writeTeamParticipation(w, row.Team, row.Depth, row.Headcount, row.Shown, row.Responses, row.Participation)
	w.key("adoption_gap_index_pp")
	optNum(w, row.IndexShown, row.Index*100, decPP)
	w.key("index_suppressed")
	w.bool(!row.IndexShown)
	writeIndexFigures(w, row.IndexShown, &row.IndexFig, row.Index)
	if row.IndexChange != nil {
		w.key("comparable")
		w.bool(row.Comparable)
		writePopulation(w, row)
		w.key("index_change_pp")
		optNum(w, row.IndexChange.Shown, row.IndexChange.Gap*100, decPP)
		w.key("index_change_ci_pp")
		optInterval(w, row.IndexChange.HasIntervals, row.IndexChange.GapCI, 100, decPP)
	}
	w.key("cells")
	w.raw("[")
	for c := range row.Cells {
		if c > 0 {
			w.raw(",")
		}
		writeCell(w, t.Channels[c], &row.Cells[c])
		if row.Changes != nil {
			w.b = w.b[:len(w.b)-1] // reopen the cell for its change
			w.key("change")
			writeChange(w, &row.Changes[c])
			w.raw("}")
		}
	}
	w.raw("]}")
}

// writeCell writes one cell with literal keys: it runs for every team and
// channel of the heatmap, tens of thousands of times per answer.
func writeCell(w *jw, channel string, c *GapCell) {
	w.raw(`{"channel":`)
	w.str(channel)
	if !c.Shown {
		if c.Unanimous { // withheld for the unanimous-cell policy, not for k
			w.raw(`,"withheld_reason":"unanimous"`)
		}
		w.raw(`,"suppressed":true,"n":null,"p":null,"p_ci":null,"q":null,"q_ci":null,"gap_pp":null,"gap_ci_pp":null,` +
			`"transfer_ratio":null,"blocked_share":null,"intensity_gap":null,"deff_gap":null,"fpc":null,"wide":null}`)
		return
	}
	f, b := &c.ChannelFigures, w.b
	b = append(b, `,"suppressed":false,"n":`...)
	b = strconv.AppendInt(b, int64(f.N), 10)
	b = append(b, `,"p":`...)
	b = appendNum(b, f.P, decShare)
	b = append(b, `,"p_ci":`...)
	b = appendInterval(b, f.PCI, 1, decShare)
	b = append(b, `,"q":`...)
	b = appendNum(b, f.Q, decShare)
	b = append(b, `,"q_ci":`...)
	b = appendInterval(b, f.QCI, 1, decShare)
	b = append(b, `,"gap_pp":`...)
	b = appendNum(b, f.Gap*100, decPP)
	b = append(b, `,"gap_ci_pp":`...)
	b = appendInterval(b, f.GapCI, 100, decPP)
	b = append(b, `,"transfer_ratio":`...)
	if f.HasRatio {
		b = appendNum(b, f.Transfer, decShare)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"blocked_share":`...)
	b = appendNum(b, f.Blocked, decShare)
	b = append(b, `,"intensity_gap":`...)
	b = appendNum(b, f.Intensity, decMean)
	b = append(b, `,"deff_gap":`...)
	b = appendNum(b, max(f.Design.DeffGap, 1), decMean)
	b = append(b, `,"fpc":`...)
	b = appendNum(b, fpcOf(f.Design), decShare)
	b = append(b, `,"wide":`...)
	b = strconv.AppendBool(b, f.Wide())
	w.b = append(b, '}')
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
