package analytics

// Sheet is a table ready for CSV or XLSX: the figures of one view in the
// caller's language, withheld cells blank (Cell.Blank), and a note row
// that states the threshold.
type Sheet struct {
	Name   string
	Note   string
	Header []string
	Rows   [][]Cell
}

// Cell is text, a number, or blank (a withheld or undefined figure).
type Cell struct {
	Text   string
	Num    float64
	IsNum  bool
	Blank  bool
	Digits int // decimals a CSV shows
}

// Translator returns a message of the export catalogue in the caller's
// language (api passes its i18n lookup).
type Translator func(key string, args ...any) string

func text(s string) Cell             { return Cell{Text: s} }
func num(v float64, digits int) Cell { return Cell{Num: v, IsNum: true, Digits: digits} }

// opt is a number when ok, else a blank cell.
func opt(ok bool, v float64, digits int) Cell {
	if !ok {
		return Cell{Blank: true}
	}
	return num(v, digits)
}

// yesNo is a yes/no answer in the export's language.
func yesNo(tr Translator, b bool) string {
	if b {
		return tr("export.yes")
	}
	return tr("export.no")
}

func note(tr Translator, k int) string { return tr("export.note", k) }

// GapSheet is the gap table in long form, one row per group and channel,
// the shape pivot tables read best.
func (t *GapTable) GapSheet(tr Translator, lang string) *Sheet {
	s := &Sheet{Name: tr("export.sheet.gaps"), Note: note(tr, t.K)}
	keys := []string{"team_code", "team", "depth", "channel", "n", "p", "p_low", "p_high", "q", "q_low", "q_high",
		"gap_pp", "gap_low_pp", "gap_high_pp", "transfer_ratio", "blocked_share", "intensity_gap", "index_pp",
		"index_low_pp", "index_high_pp", "index_n"}
	if t.Compare != nil {
		keys = append(keys, "change_gap_pp", "change_low_pp", "change_high_pp",
			"index_change_pp", "index_change_low_pp", "index_change_high_pp", "same_population")
	}
	for _, k := range keys {
		s.Header = append(s.Header, tr("export.col."+k))
	}
	for _, r := range t.Rows {
		for c := range t.Channels {
			cell := r.Cells[c]
			f, ok := cell.ChannelFigures, cell.Shown
			row := []Cell{text(r.Team.Code), text(r.Team.Name), num(float64(r.Depth), 0), text(t.Def.Channels[c].Label.In(lang)),
				opt(ok, float64(f.N), 0), opt(ok, f.P, 4), opt(ok, f.PCI.Low, 4), opt(ok, f.PCI.High, 4),
				opt(ok, f.Q, 4), opt(ok, f.QCI.Low, 4), opt(ok, f.QCI.High, 4),
				opt(ok, f.Gap*100, 2), opt(ok, f.GapCI.Low*100, 2), opt(ok, f.GapCI.High*100, 2),
				opt(ok && f.HasRatio, f.Transfer, 4), opt(ok, f.Blocked, 4), opt(ok, f.Intensity, 3), opt(r.IndexShown, r.Index*100, 2)}
			ix := r.IndexShown && r.IndexFig.HasCI
			row = append(row, opt(ix, r.IndexFig.CI.Low*100, 2), opt(ix, r.IndexFig.CI.High*100, 2), opt(r.IndexShown, float64(r.IndexFig.N), 0))
			if r.Changes != nil {
				ch, ic := r.Changes[c], r.IndexChange
				row = append(row, opt(ch.Shown, ch.Gap*100, 2), opt(ch.Shown, ch.GapCI.Low*100, 2), opt(ch.Shown, ch.GapCI.High*100, 2),
					opt(ic.Shown, ic.Gap*100, 2), opt(ic.Shown && ic.HasIntervals, ic.GapCI.Low*100, 2), opt(ic.Shown && ic.HasIntervals, ic.GapCI.High*100, 2),
					text(yesNo(tr, r.SamePopulation())))
			}
			s.Rows = append(s.Rows, row)
		}
	}
	return s
}

// ParticipationSheet lists responses and participation per group.
func (p *Participation) ParticipationSheet(tr Translator) *Sheet {
	s := &Sheet{Name: tr("export.sheet.participation"), Note: note(tr, p.K)}
	for _, k := range []string{"team_code", "team", "depth", "headcount", "responses", "participation", "participation_flag"} {
		s.Header = append(s.Header, tr("export.col."+k))
	}
	for _, r := range p.Rows {
		flag := ""
		if r.Over {
			flag = tr("chart.participation.over")
		}
		s.Rows = append(s.Rows, []Cell{text(r.Team.Code), text(r.Team.Name), num(float64(r.Depth), 0), num(float64(r.Headcount), 0),
			opt(r.Shown, float64(r.Responses), 0), opt(r.Shown && r.Headcount > 0, r.Rate, 4), text(flag)})
	}
	return s
}

// BarrierSheet lists each barrier's share among those who answered the
// question and among those of them with a Gap, each with its n.
func (b *Barriers) BarrierSheet(tr Translator, lang string) *Sheet {
	s := &Sheet{Name: tr("export.sheet.barriers"), Note: note(tr, b.K) + " " + tr("export.team", b.Team.Code, b.Team.Name)}
	for _, k := range []string{"barrier", "answered", "share", "answered_gap", "share_among_gap"} {
		s.Header = append(s.Header, tr("export.col."+k))
	}
	for _, it := range b.Items {
		for _, o := range it.Options {
			s.Rows = append(s.Rows, []Cell{text(o.Option.Label.In(lang)), opt(it.Shown, float64(it.N), 0), opt(it.Shown, o.Overall.Value, 4),
				opt(it.GapShown, float64(it.GapN), 0), opt(it.GapShown, o.AmongGap.Value, 4)})
		}
	}
	return s
}

// CultureSheet lists each agreement item's distribution and mean.
func (c *Culture) CultureSheet(tr Translator, lang string) *Sheet {
	s := &Sheet{Name: tr("export.sheet.culture"), Note: note(tr, c.K) + " " + tr("export.team", c.Team.Code, c.Team.Name)}
	s.Header = []string{tr("export.col.item"), tr("export.col.n"), tr("export.col.mean")}
	var opts []string
	if len(c.Items) > 0 {
		for _, o := range c.Def.ItemOptions(c.Items[0].Item) {
			opts = append(opts, o.Label.In(lang))
		}
	}
	s.Header = append(s.Header, opts...)
	for _, it := range c.Items {
		row := []Cell{text(it.Item.Label.In(lang)), opt(it.Shown, float64(it.N), 0), opt(it.Shown, it.Mean, 3)}
		for j := range opts {
			row = append(row, opt(it.Shown, atF(it.Shares, j), 4))
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}
