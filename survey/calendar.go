package survey

import (
	"fmt"
	"time"
)

// The calendar helpers below are the one place where digigap computes
// dates. A day is a civil date written YYYY-MM-DD (DateLayout) and a month
// YYYY-MM (MonthLayout); the instant at which either begins depends on the
// organisation's time zone, which the store holds (Options.Location).
// Day and month arithmetic runs on civil dates (midnight UTC), so that
// daylight-saving changes never shift a day, and months are added without
// overflow: 31 January plus one month is 28 or 29 February, not 3 March.

// MonthLayout is how a month is written: coverage periods, demo months.
const MonthLayout = "2006-01"

// DayOf is the day on which instant t falls in loc (UTC when loc is nil).
func DayOf(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(DateLayout)
}

// MonthOfDay is the month (YYYY-MM) of a day; day must be valid.
func MonthOfDay(day string) string {
	return mustDay(day).Format(MonthLayout)
}

// ParseDay reads a YYYY-MM-DD day as a civil date (midnight UTC).
func ParseDay(day string) (time.Time, error) {
	return time.Parse(DateLayout, day)
}

// mustDay parses a day the caller has already validated; a bad one is a
// programming error, not input.
func mustDay(day string) time.Time {
	t, err := ParseDay(day)
	if err != nil {
		panic(fmt.Sprintf("survey: %q is not a day: %v", day, err))
	}
	return t
}

// AddDays is day moved by n days (negative: back); day must be valid.
func AddDays(day string, n int) string {
	return mustDay(day).AddDate(0, 0, n).Format(DateLayout)
}

// DaysIn is the number of days of month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// FirstOfMonth is midnight on the first day of t's month, in t's location.
func FirstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// AddMonths is t moved by n months, keeping the clock time and location;
// a day that the target month lacks becomes its last day (clamped), where
// time.AddDate would overflow into the month after.
func AddMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	d := min(t.Day(), DaysIn(first.Year(), first.Month()))
	return time.Date(first.Year(), first.Month(), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// AddMonthsToDay is AddMonths on a day; day must be valid.
func AddMonthsToDay(day string, n int) string {
	return AddMonths(mustDay(day), n).Format(DateLayout)
}

// StartOfDay is the instant day begins in loc: usually midnight, later
// when a daylight-saving change skips midnight.
func StartOfDay(day string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	return time.ParseInLocation(DateLayout, day, loc)
}

// MonthBounds are the instants a month (YYYY-MM) begins and the next one
// begins in loc: an instant t belongs to the month when start <= t < end.
func MonthBounds(month string, loc *time.Location) (start, end time.Time, err error) {
	if loc == nil {
		loc = time.UTC
	}
	start, err = time.ParseInLocation(MonthLayout, month, loc)
	if err != nil {
		return start, end, err
	}
	return start, AddMonths(start, 1), nil
}

// MonthsBefore lists the n months before today's month, oldest first: the
// months of history that are complete on day today.
func MonthsBefore(today string, n int) []string {
	first := FirstOfMonth(mustDay(today))
	out := make([]string, n)
	for i := range n {
		out[i] = AddMonths(first, i-n).Format(MonthLayout)
	}
	return out
}
