package analytics

// AllChannelsSheet lists the all-channel users of a group, privately and
// at work, with their denominator n (those who answered every channel)
// beside the group's respondents, so a spreadsheet never reads the share
// as one of all staff (issue 15, point 4).
func (s *GroupSummary) AllChannelsSheet(tr Translator) *Sheet {
	sh := &Sheet{Name: tr("export.sheet.all_channels"), Note: note(tr, s.K) + " " + tr("export.team", s.Team.Code, s.Team.Name) + " " + tr("chart.allchannels.denominator")}
	for _, k := range []string{"context", "share", "ci_low", "ci_high", "answered_every_channel", "respondents"} {
		sh.Header = append(sh.Header, tr("export.col."+k))
	}
	a := s.AllChannels
	for i, share := range []Share{a.Private, a.Work} {
		label := tr("chart.private")
		if i == 1 {
			label = tr("chart.work")
		}
		sh.Rows = append(sh.Rows, []Cell{text(label), opt(a.Shown, share.Value, 4), opt(a.Shown, share.CI.Low, 4), opt(a.Shown, share.CI.High, 4),
			opt(a.Shown, float64(a.N), 0), opt(a.Shown && s.Row.Shown, float64(s.Row.Responses), 0)})
	}
	return sh
}
