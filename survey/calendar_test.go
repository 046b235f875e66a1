package survey_test

import (
	"testing"
	"time"

	"digigap/survey"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// eachDay calls fn for every civil day of years from..to.
func eachDay(from, to int, fn func(d time.Time)) {
	for d := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= to; d = d.AddDate(0, 0, 1) {
		fn(d)
	}
}

func TestAddMonths_NeverSkipsNorRepeatsAMonth(t *testing.T) {
	loc := paris(t)
	eachDay(2027, 2028, func(d time.Time) {
		at := time.Date(d.Year(), d.Month(), d.Day(), 23, 30, 0, 0, loc)
		for n := -14; n <= 14; n++ {
			got := survey.AddMonths(at, n)
			want := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			if got.Year() != want.Year() || got.Month() != want.Month() {
				t.Fatalf("%s + %d months = %s: month %s, want %s", at, n, got, got.Format("2006-01"), want.Format("2006-01"))
			}
			if wantDay := min(d.Day(), survey.DaysIn(want.Year(), want.Month())); got.Day() != wantDay {
				t.Fatalf("%s + %d months = %s: day %d, want %d (clamped)", at, n, got, got.Day(), wantDay)
			}
			if got.Location() != loc || got.Hour() != 23 || got.Minute() != 30 {
				t.Fatalf("%s + %d months = %s: clock time or zone changed", at, n, got)
			}
		}
	})
}

func TestAddMonths_MonthEndsClamp(t *testing.T) {
	for _, tt := range []struct {
		day  string
		n    int
		want string
	}{
		{"2025-11-29", 3, "2026-02-28"}, // the demo's failure: AddDate gives 2026-03-01
		{"2027-01-31", 1, "2027-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2028-02-29", -12, "2027-02-28"},
		{"2028-03-31", -1, "2028-02-29"},
		{"2027-12-31", 2, "2028-02-29"},
		{"2027-05-31", -1, "2027-04-30"},
		{"2027-10-31", 0, "2027-10-31"},
	} {
		if got := survey.AddMonthsToDay(tt.day, tt.n); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.day, tt.n, got, tt.want)
		}
	}
}

func TestDaysIn_LeapYears(t *testing.T) {
	for y, want := range map[int]int{2027: 28, 2028: 29, 2100: 28, 2000: 29} {
		if got := survey.DaysIn(y, time.February); got != want {
			t.Errorf("February %d has %d days, want %d", y, got, want)
		}
	}
	total := 0
	for m := time.January; m <= time.December; m++ {
		total += survey.DaysIn(2028, m)
	}
	if total != 366 {
		t.Errorf("2028 has %d days, want 366", total)
	}
}

func TestAddDays_EveryDayOnceAcrossDST(t *testing.T) {
	prev := "2026-12-31"
	n := 0
	eachDay(2027, 2028, func(d time.Time) {
		day := d.Format(survey.DateLayout)
		if got := survey.AddDays(prev, 1); got != day {
			t.Fatalf("%s + 1 day = %s, want %s", prev, got, day)
		}
		if got := survey.AddDays(day, -1); got != prev {
			t.Fatalf("%s - 1 day = %s, want %s", day, got, prev)
		}
		prev = day
		n++
	})
	if n != 365+366 {
		t.Fatalf("%d days in 2027-2028, want 731", n)
	}
}

func TestDayOf_ParisMidnightIsNotUTCMidnight(t *testing.T) {
	loc := paris(t)
	for _, tt := range []struct {
		at         time.Time
		paris, utc string
	}{
		{time.Date(2027, 1, 31, 22, 59, 59, 0, time.UTC), "2027-01-31", "2027-01-31"}, // 23:59:59 in Paris (UTC+1)
		{time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC), "2027-02-01", "2027-01-31"},   // 00:00 in Paris
		{time.Date(2027, 7, 31, 21, 59, 59, 0, time.UTC), "2027-07-31", "2027-07-31"}, // summer: UTC+2
		{time.Date(2027, 7, 31, 22, 0, 0, 0, time.UTC), "2027-08-01", "2027-07-31"},
		{time.Date(2028, 2, 28, 23, 30, 0, 0, time.UTC), "2028-02-29", "2028-02-28"},
		{time.Date(2028, 12, 31, 23, 0, 0, 0, time.UTC), "2029-01-01", "2028-12-31"},
		{time.Date(2027, 3, 28, 0, 59, 59, 0, time.UTC), "2027-03-28", "2027-03-28"}, // spring-forward day
		{time.Date(2027, 10, 30, 22, 0, 0, 0, time.UTC), "2027-10-31", "2027-10-30"}, // fall-back day begins (UTC+2)
		{time.Date(2027, 10, 31, 22, 59, 59, 0, time.UTC), "2027-10-31", "2027-10-31"},
		{time.Date(2027, 10, 31, 23, 0, 0, 0, time.UTC), "2027-11-01", "2027-10-31"}, // and ends at UTC+1
	} {
		if got := survey.DayOf(tt.at, loc); got != tt.paris {
			t.Errorf("Paris day of %s = %s, want %s", tt.at, got, tt.paris)
		}
		if got := survey.DayOf(tt.at, nil); got != tt.utc {
			t.Errorf("UTC day of %s = %s, want %s", tt.at, got, tt.utc)
		}
	}
}

func TestStartOfDay_DSTDaysLastTheirLength(t *testing.T) {
	loc := paris(t)
	dst := map[string]time.Duration{
		"2027-03-28": 23 * time.Hour, "2027-10-31": 25 * time.Hour,
		"2028-03-26": 23 * time.Hour, "2028-10-29": 25 * time.Hour,
	}
	eachDay(2027, 2028, func(d time.Time) {
		day := d.Format(survey.DateLayout)
		start, err := survey.StartOfDay(day, loc)
		if err != nil {
			t.Fatal(err)
		}
		end, _ := survey.StartOfDay(survey.AddDays(day, 1), loc)
		want, ok := dst[day]
		if !ok {
			want = 24 * time.Hour
		}
		if got := end.Sub(start); got != want {
			t.Errorf("%s lasts %s in Paris, want %s", day, got, want)
		}
		for _, at := range []time.Time{start, end.Add(-time.Nanosecond), start.Add(12 * time.Hour)} {
			if got := survey.DayOf(at, loc); got != day {
				t.Errorf("%s is on %s in Paris, want %s", at, got, day)
			}
		}
		if got := survey.DayOf(start.Add(-time.Nanosecond), loc); got != survey.AddDays(day, -1) {
			t.Errorf("just before %s is %s", day, got)
		}
	})
}

func TestMonthBounds_ContainEveryInstantOfTheMonthInParis(t *testing.T) {
	loc := paris(t)
	eachDay(2027, 2028, func(d time.Time) {
		day := d.Format(survey.DateLayout)
		month := survey.MonthOfDay(day)
		start, end, err := survey.MonthBounds(month, loc)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := survey.StartOfDay(day, loc)
		if first.Before(start) || !first.Before(end) {
			t.Fatalf("%s (%s) outside %s [%s, %s)", day, first, month, start, end)
		}
		if start.Format("2006-01-02 15:04") != month+"-01 00:00" || survey.DayOf(end, loc) != survey.AddMonthsToDay(month+"-01", 1) {
			t.Fatalf("%s bounds %s, %s", month, start, end)
		}
	})
	if _, _, err := survey.MonthBounds("2027-13", loc); err == nil {
		t.Error("month 13 accepted")
	}
}

func TestMonthsBefore_TwelveConsecutiveMonthsEndingLastMonth(t *testing.T) {
	eachDay(2027, 2028, func(d time.Time) {
		day := d.Format(survey.DateLayout)
		months := survey.MonthsBefore(day, 12)
		last := d.AddDate(0, 0, -d.Day()) // last day of the previous month
		if got, want := months[11], last.Format(survey.MonthLayout); got != want {
			t.Fatalf("on %s the last month is %s, want %s", day, got, want)
		}
		for i := 1; i < len(months); i++ {
			if got, want := months[i], survey.AddMonthsToDay(months[i-1]+"-01", 1)[:7]; got != want {
				t.Fatalf("on %s months %v are not consecutive at %d", day, months, i)
			}
		}
	})
	if got := survey.MonthsBefore("2025-11-29", 4); got[0] != "2025-07" || got[3] != "2025-10" {
		t.Errorf("months before 2025-11-29 = %v", got)
	}
}
