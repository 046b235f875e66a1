package analytics_test

import (
	"context"
	"testing"

	"digigap/survey"
)

// denomWave stores, in A1, six respondents who answer every channel and
// tick barriers ({0} ×4, {1} ×2), and five who answer email only and
// skip the barrier question.
func denomWave(tb testing.TB, f *fixture) *survey.Campaign {
	tb.Helper()
	ctx := context.Background()
	q, _ := f.st.EnsureDefaultQuestionnaire(ctx)
	c, err := f.st.CreateCampaign(ctx, survey.CampaignInput{Name: "Dénominateurs", QuestionnaireID: q.ID, TeamCodes: []string{"S1"},
		OpensOn: "2026-06-01", ClosesOn: "2026-06-01", MinGroup: 5})
	if err == nil {
		_, err = f.st.OpenCampaign(ctx, c.ID)
	}
	if err != nil {
		tb.Fatal(err)
	}
	submit := func(a survey.Answers) {
		if _, err := f.st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: f.team["A1"], Answers: a}); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range 6 {
		a := survey.Answers{"barriers": []int{0}}
		for j, ch := range q.Def.ChannelIDs() {
			a[ch+".private"], a[ch+".work"] = 3, (i+j)%4
			if i == 0 { // the one who uses every channel at work too
				a[ch+".work"] = 1 + j%3
			}
			if i == 5 && j == 0 { // not unanimous privately either
				a[ch+".private"] = 0
			}
		}
		if i >= 4 {
			a["barriers"] = []int{1}
		}
		submit(a)
	}
	for i := range 5 {
		submit(survey.Answers{"email.private": 3, "email.work": i % 4})
	}
	if _, err := f.st.CloseCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	return c
}

// All-channel users are a share of those who answered every channel (6),
// not of the group's 11 respondents, and both numbers are given.
func TestAllChannels_OverThoseWhoAnsweredEveryChannel(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	c := denomWave(t, f)
	s, err := f.eng.Summary(context.Background(), survey.FullScope(), c.ID, f.team["A1"])
	if err != nil {
		t.Fatal(err)
	}
	a := s.AllChannels
	if !a.Shown || a.N != 6 || s.Row.Responses != 11 || a.Private.Base != 6 || a.Work.Base != 6 {
		t.Fatalf("all-channel users = %+v over %d respondents; want n 6 of 11", a, s.Row.Responses)
	}
	if want := 1.0 / 6; !near(a.Work.Value, want) { // one of the six answered ≥ 1 at work on every channel
		t.Errorf("work share = %v, want %v (over the 6, not the 11)", a.Work.Value, want)
	}
	sheet := s.AllChannelsSheet(func(k string, _ ...any) string { return k })
	if got := sheet.Rows[0][4].Num; got != 6 || sheet.Rows[0][5].Num != 11 {
		t.Errorf("export n = %v of %v, want 6 of 11", got, sheet.Rows[0][5].Num)
	}
}

// Barrier shares are over the six who answered the question: the five who
// skipped it are not counted as "no barrier".
func TestBarriers_OverThoseWhoAnsweredTheQuestion(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	c := denomWave(t, f)
	b, err := f.eng.Barriers(context.Background(), survey.FullScope(), c.ID, f.team["A1"])
	if err != nil {
		t.Fatal(err)
	}
	it := b.Items[0]
	if !it.Shown || it.N != 6 || b.N != 11 {
		t.Fatalf("barriers: item shown %v answered %d of %d; want 6 of 11", it.Shown, it.N, b.N)
	}
	if got := it.Options[0].Overall; got.Base != 6 || !near(got.Value, 4.0/6) {
		t.Errorf("'not allowed' = %d/%d, want 4/6 (not 4/11)", got.Count, got.Base)
	}
	sheet := b.BarrierSheet(func(k string, _ ...any) string { return k }, "en")
	if sheet.Rows[0][1].Num != 6 || !near(sheet.Rows[0][2].Num, 4.0/6) {
		t.Errorf("export row = %+v, want n 6 and 4/6", sheet.Rows[0])
	}
}
