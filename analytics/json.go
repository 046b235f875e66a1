package analytics

import "digigap/survey"

// The JSON answers of the group views, written like the gap table's:
// a withheld figure is null next to "suppressed": true.

func (h *Header) open(w *jw) {
	w.raw("{")
	w.key("campaign")
	writeCampaign(w, h.Campaign, h.Phase)
	w.key("live")
	w.bool(h.Live)
	w.key("threshold")
	w.int(int64(h.K))
	if h.Team != nil {
		w.key("team")
		writeTeam(w, h.Team)
	}
}

// AppendJSON writes the group summary.
func (s *GroupSummary) AppendJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	s.open(w)
	w.key("channels")
	writeChannels(w, s.Def, s.Def.ChannelIDs(), lang)
	w.key("group")
	t := GapTable{Channels: s.Def.ChannelIDs()}
	t.writeRow(w, &s.Row)
	w.key("all_channel_users")
	w.raw("{")
	w.key("suppressed")
	w.bool(!s.AllChannels.Shown)
	writeReason(w, s.AllChannels.Unanimous)
	w.key("n")
	optInt(w, s.AllChannels.Shown, s.AllChannels.N)
	// n is those who answered every channel's two frequency questions,
	// out of the group's respondents: the shares are over n only.
	w.key("respondents")
	optInt(w, s.AllChannels.Shown && s.Row.Shown, s.Row.Responses)
	w.key("denominator")
	w.str("answered_every_channel")
	w.key("private")
	writeShare(w, s.AllChannels.Shown, s.AllChannels.Private)
	w.key("work")
	writeShare(w, s.AllChannels.Shown, s.AllChannels.Work)
	w.raw("}}")
	return w.b
}

func writeShare(w *jw, shown bool, s Share) {
	w.raw("{")
	w.key("count")
	optInt(w, shown, s.Count)
	w.key("share")
	optNum(w, shown, s.Value, decShare)
	w.key("ci")
	optInterval(w, shown, s.CI, 1, decShare)
	w.raw("}")
}

// AppendJSON writes the barriers.
func (b *Barriers) AppendJSON(buf []byte, lang string) []byte {
	w := &jw{b: buf}
	b.open(w)
	w.key("respondents")
	w.count(b.Shown, b.N)
	w.key("gap_respondents")
	w.count(b.GapShown, b.GapN)
	w.key("items")
	w.raw("[")
	for i, it := range b.Items {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.str(it.Item.ID)
		// The shares' denominators: who answered the question (ticked a
		// barrier), and those of them with a Gap.
		writeReason(w, it.Unanimous)
		w.key("answered")
		w.count(it.Shown, it.N)
		w.key("answered_gap")
		w.count(it.GapShown, it.GapN)
		w.key("options")
		w.raw("[")
		for j, o := range it.Options {
			if j > 0 {
				w.raw(",")
			}
			writeOption(w, o.Option, lang)
			w.key("overall")
			writeShare(w, it.Shown, o.Overall)
			w.key("among_gap")
			writeShare(w, it.GapShown, o.AmongGap)
			w.raw("}")
		}
		w.raw("]}")
	}
	w.raw("]}")
	return w.b
}

// writeOption opens an object with an option's value and label.
func writeOption(w *jw, o survey.Option, lang string) {
	w.raw(`{"value":`)
	w.int(int64(o.Value))
	w.key("label")
	w.str(o.Label.In(lang))
}

// AppendJSON writes the culture items.
func (c *Culture) AppendJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	c.open(w)
	w.key("items")
	w.raw("[")
	for i, it := range c.Items {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.str(it.Item.ID)
		w.key("label")
		w.str(it.Item.Label.In(lang))
		w.key("suppressed")
		w.bool(!it.Shown)
		writeReason(w, it.Unanimous)
		w.key("n")
		optInt(w, it.Shown, it.N)
		w.key("mean")
		optNum(w, it.Shown, it.Mean, decMean)
		w.key("distribution")
		w.raw("[")
		for j, o := range c.Def.ItemOptions(it.Item) {
			if j > 0 {
				w.raw(",")
			}
			writeOption(w, o, lang)
			w.key("count")
			optInt(w, it.Shown, at(it.Counts, j))
			w.key("share")
			optNum(w, it.Shown, atF(it.Shares, j), decShare)
			w.raw("}")
		}
		w.raw("]}")
	}
	w.raw("]}")
	return w.b
}

func at(v []int, i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func atF(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// AppendJSON writes participation.
func (p *Participation) AppendJSON(b []byte) []byte {
	w := &jw{b: b}
	p.open(w)
	w.key("rows")
	w.raw("[")
	for i, r := range p.Rows {
		if i > 0 {
			w.raw(",")
		}
		w.raw("{")
		writeTeamParticipation(w, r.Team, r.Depth, r.Headcount, r.Shown, r.Responses, r.Rate)
		w.raw("}")
	}
	w.raw("]}")
	return w.b
}

// AppendJSON writes the comments; JSON escaping (with <, > and &) keeps
// them inert wherever a page shows them.
func (c *Comments) AppendJSON(b []byte) []byte {
	w := &jw{b: b}
	c.open(w)
	w.key("suppressed")
	w.bool(!c.Shown)
	w.key("min_group")
	w.int(int64(max(MinCommentGroup, c.K)))
	w.key("comments")
	w.strs(c.Comments)
	w.raw("}")
	return w.b
}

// AppendJSON writes a band breakdown.
func (t *BandTable) AppendJSON(b []byte, lang string) []byte {
	w := &jw{b: b}
	t.open(w)
	w.key("item")
	w.str(t.Item.ID)
	w.key("channels")
	writeChannels(w, t.Def, t.Channels, lang)
	w.key("bands")
	w.raw("[")
	g := GapTable{Channels: t.Channels}
	for i := range t.Rows {
		if i > 0 {
			w.raw(",")
		}
		writeOption(w, t.Rows[i].Option, lang)
		w.key("group")
		g.writeRow(w, &t.Rows[i].GapRow)
		w.raw("}")
	}
	w.raw("]}")
	return w.b
}

// writeReason adds "withheld_reason": "unanimous" to a figure withheld
// for the campaign's unanimous-cell policy (unanimous.go).
func writeReason(w *jw, unanimous bool) {
	if unanimous {
		w.key("withheld_reason")
		w.str("unanimous")
	}
}
