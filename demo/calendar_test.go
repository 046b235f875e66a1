package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"digigap/analytics"
	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// dstDays are Europe/Paris's daylight-saving changes in 2027 and 2028.
var dstDays = []string{"2027-03-28", "2027-10-31", "2028-03-26", "2028-10-29"}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// calendarDays is every day of 2027 and 2028.
func calendarDays() []string {
	var out []string
	for d := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2028; d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(survey.DateLayout))
	}
	return out
}

// fullDemoDay says whether the calendar test runs the whole demo on day:
// the month ends, the year's ends, the DST changes. Other days check the
// plan, which holds every date the demo writes.
func fullDemoDay(day string) bool {
	t, _ := survey.ParseDay(day)
	return t.Day() >= 28 || day[5:] == "01-01" || slices.Contains(dstDays, day)
}

// TestPlan_EveryDayOf2027And2028 checks, for every day, the dates the demo
// would write: two closed waves before this month, the open wave taking
// answers today, actions between the waves, 12 distinct consecutive
// months of coverage ending last month, no purge due.
func TestPlan_EveryDayOf2027And2028(t *testing.T) {
	days := calendarDays()
	if len(days) != 731 {
		t.Fatalf("%d days, want 731", len(days))
	}
	for _, today := range days {
		p := demo.NewPlan(today)
		firstOfMonth := today[:8] + "01"
		w1, w2 := p.Closed[0], p.Closed[1]
		switch {
		case !(w1.OpensOn < w1.ClosesOn && w1.ClosesOn < w2.OpensOn && w2.OpensOn < w2.ClosesOn && w2.ClosesOn < firstOfMonth):
			t.Fatalf("%s: closed waves %+v, %+v out of order or not closed before this month", today, w1, w2)
		case w1.Name == w2.Name || w2.Name == p.Open.Name:
			t.Fatalf("%s: wave names repeat: %q %q %q", today, w1.Name, w2.Name, p.Open.Name)
		case p.Open.ClosesOn <= today || survey.AddDays(p.Open.OpensOn, p.Open.AnswerDays-1) != today:
			t.Fatalf("%s: open wave %+v does not take answers up to today", today, p.Open)
		}
		for _, w := range p.Closed {
			c := &survey.Campaign{State: survey.StateOpen, OpensOn: w.OpensOn, ClosesOn: w.ClosesOn, RetentionDays: survey.DefaultRetentionDays}
			if got := c.Phase(survey.AddDays(w.OpensOn, -1)); got != survey.PhaseScheduled {
				t.Fatalf("%s: %s on the eve of its opening is %s", today, w.Name, got)
			}
			if last := survey.AddDays(w.OpensOn, w.AnswerDays-1); c.Phase(w.OpensOn) != survey.PhaseOpen || c.Phase(last) != survey.PhaseOpen || last > w.ClosesOn {
				t.Fatalf("%s: %s does not take answers from %s to %s", today, w.Name, w.OpensOn, last)
			}
			if got := c.Phase(today); got != survey.PhaseClosed {
				t.Fatalf("%s: %s is %s today, want closed", today, w.Name, got)
			}
			if due, _ := c.PurgeDue(); due <= today {
				t.Fatalf("%s: %s purge due on %s already", today, w.Name, due)
			}
		}
		open := &survey.Campaign{State: survey.StateOpen, OpensOn: p.Open.OpensOn, ClosesOn: p.Open.ClosesOn}
		if got := open.Phase(today); got != survey.PhaseOpen {
			t.Fatalf("%s: the open wave is %s", today, got)
		}
		checkMonths(t, today, p.Months)
		for i, start := range p.Actions[:3] {
			if start <= w1.ClosesOn || start >= w2.OpensOn {
				t.Fatalf("%s: action %d starts %s, not between the waves (%s, %s)", today, i, start, w1.ClosesOn, w2.OpensOn)
			}
		}
	}
}

// checkMonths wants 12 distinct consecutive months ending last month.
func checkMonths(t *testing.T, today string, months []string) {
	t.Helper()
	first, _ := survey.ParseDay(today[:8] + "01")
	if len(months) != 12 {
		t.Fatalf("%s: %d months of coverage %v, want 12", today, len(months), months)
	}
	for i, m := range months {
		if want := first.AddDate(0, i-12, 0).Format(survey.MonthLayout); m != want { // AddDate is safe on a 1st
			t.Fatalf("%s: coverage months %v, want %s at %d", today, months, want, i)
		}
	}
}

// TestGenerate_OnMonthEndsYearEndsAndDSTDays runs the whole demo, in one
// transaction, on every 28th to 31st, 1 January and DST change day of 2027
// and 2028, at an instant that is another day in UTC (00:30 or 23:30 in
// Paris; around the change on DST days), then checks what a user sees.
func TestGenerate_OnMonthEndsYearEndsAndDSTDays(t *testing.T) {
	loc := paris(t)
	start := time.Now()
	n := 0
	t.Run("days", func(t *testing.T) {
		for i, day := range calendarDays() {
			if !fullDemoDay(day) {
				continue
			}
			n++
			begin, _ := survey.StartOfDay(day, loc)
			at := begin.Add(30 * time.Minute) // 23:30 UTC the day before in winter
			if i%2 == 1 {
				at = begin.Add(23*time.Hour + 30*time.Minute)
			}
			if slices.Contains(dstDays, day) {
				at = begin.Add(2*time.Hour + 30*time.Minute) // 03:30 or 02:30 past the change
			}
			t.Run(day, func(t *testing.T) {
				t.Parallel()
				checkFullDemo(t, day, at, loc)
			})
		}
	})
	t.Logf("full demo on %d days in %s", n, time.Since(start).Round(time.Millisecond))
}

func checkFullDemo(t *testing.T, day string, at time.Time, loc *time.Location) {
	ctx := context.Background()
	now := at
	st := surveytest.MustOpen(t, survey.SQLite, survey.Options{SynchronousNormal: true, Location: loc, Now: func() time.Time { return now }})
	if got := st.Today(); got != day {
		t.Fatalf("the store's today at %s is %s, want %s", at, got, day)
	}
	err := st.InTransaction(ctx, func(tx *survey.Store) error {
		_, err := demo.Generate(ctx, tx, demo.Options{Seed: 1})
		return err
	})
	if err != nil {
		t.Fatalf("demo on %s: %v", day, err)
	}
	checkDemoData(t, st, day)
}

// checkDemoData checks a generated demo as of today: phases, answer days,
// coverage months, the trend between the closed waves, the retention purge.
func checkDemoData(t *testing.T, st *survey.Store, today string) {
	t.Helper()
	ctx := context.Background()
	cs, err := st.Campaigns(ctx)
	slices.SortFunc(cs, func(a, b survey.Campaign) int { return int(a.ID - b.ID) })
	if err != nil || len(cs) != 3 {
		t.Fatalf("%d campaigns (%v), want 3", len(cs), err)
	}
	want := []string{survey.PhaseClosed, survey.PhaseClosed, survey.PhaseOpen}
	for i := range cs {
		c := &cs[i]
		if got := c.Phase(st.Today()); got != want[i] {
			t.Errorf("%s is %s on %s, want %s", c.Name, got, today, want[i])
		}
		var first, last string
		row := st.ReadDB().Raw("SELECT MIN(day), MAX(day) FROM responses WHERE campaign_id = ?", c.ID).Row()
		if err := row.Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		if first < c.OpensOn || last > c.ClosesOn || last > today {
			t.Errorf("%s (%s to %s) has answers from %s to %s, today %s", c.Name, c.OpensOn, c.ClosesOn, first, last, today)
		}
	}
	rows, err := st.CoverageRows(ctx)
	if err != nil || len(rows) != 24*12 {
		t.Fatalf("%d coverage rows (%v), want 24 branches × 12 months", len(rows), err)
	}
	var months []string
	for _, r := range rows {
		if len(months) == 0 || months[len(months)-1] != r.Period {
			months = append(months, r.Period)
		}
	}
	checkMonths(t, today, months)
	tree, _ := st.Tree(ctx)
	root := tree.ByCode("CRV").ID
	gaps, err := analytics.New(st).GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: cs[1].ID, TeamID: root, CompareID: cs[0].ID})
	if err != nil || len(gaps.Rows) == 0 || !gaps.Rows[0].IndexChange.Shown {
		t.Fatalf("no trend from wave 1 to wave 2 on %s (%v)", today, err)
	}
	checkPurge(t, st, cs)
}

// checkPurge moves the clock to the eve and the day the first wave's raw
// answers are due to go, in the organisation's time zone.
func checkPurge(t *testing.T, st *survey.Store, cs []survey.Campaign) {
	t.Helper()
	ctx := context.Background()
	due, _ := cs[0].PurgeDue()
	for _, tt := range []struct {
		day  string
		want int
	}{{st.Today(), 0}, {survey.AddDays(due, -1), 0}, {due, 1}} {
		at, _ := survey.StartOfDay(tt.day, st.Location())
		res, err := st.WithClock(func() time.Time { return at }).PurgeResponses(ctx)
		if err != nil || len(res.Campaigns) != tt.want {
			t.Fatalf("purge on %s: %+v (%v), want %d campaigns (due %s)", tt.day, res, err, tt.want, due)
		}
	}
}

// TestGenerate_PostgresOnThe29th30th31st runs the demo once on each
// month-end day on PostgreSQL.
func TestGenerate_PostgresOnThe29th30th31st(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	loc := paris(t)
	for _, day := range []string{"2027-01-29", "2028-04-30", "2028-12-31"} {
		t.Run(day, func(t *testing.T) {
			ctx := context.Background()
			at, _ := survey.StartOfDay(day, loc)
			at = at.Add(23*time.Hour + 45*time.Minute)
			st := surveytest.MustOpen(t, survey.Postgres, survey.Options{Location: loc, Now: func() time.Time { return at }})
			err := st.InTransaction(ctx, func(tx *survey.Store) error {
				_, err := demo.Generate(ctx, tx, demo.Options{Seed: 1})
				return err
			})
			if err != nil {
				t.Fatalf("demo on %s: %v", day, err)
			}
			checkDemoData(t, st, day)
		})
	}
}
