package demo

import (
	"time"

	"digigap/survey"
)

// Plan is every date of the demo, derived from one day (the store's today
// in the organisation's time zone) and nothing else, so that the demo
// works on any day of the calendar and tests can check it on every day
// without writing a database.
type Plan struct {
	Today  string
	Closed []WavePlan // the two closed waves, oldest first
	Open   WavePlan   // the wave still taking answers
	// Months are the 12 months of client coverage, oldest first, ending
	// with the month before today's.
	Months  []string
	Actions []string // start day of each of demoActions
	Year    int      // today's year, for the reference values' labels
}

// WavePlan is one demo campaign: its name, its days, and the days its
// answers are spread over (AnswerDays from OpensOn on).
type WavePlan struct {
	Name, OpensOn, ClosesOn string
	AnswerDays              int
}

const (
	closedWaveLasts = 18 // days from opening to closing of a closed wave
	closedWaveSpan  = 14 // days over which its answers arrive
	openWaveStarted = 5  // days before today the open wave opened
	openWaveLasts   = 21 // days from opening to closing of the open wave
	firstWaveBack   = 8  // months before today's month the first wave opens
	secondWaveBack  = 2  // months before today's month the second wave opens
)

// NewPlan lays the demo out around day today (YYYY-MM-DD): closed waves
// opening on the first Monday of the months 8 and 2 months back (so both
// closed before today's month began), the open wave since 5 days, actions
// between the waves, coverage for the 12 months before this one.
func NewPlan(today string) Plan {
	p := Plan{Today: today, Months: survey.MonthsBefore(today, coverageMonths), Year: mustDay(today).Year()}
	first := survey.FirstOfMonth(mustDay(today))
	for i, back := range []int{firstWaveBack, secondWaveBack} {
		opens := firstMonday(survey.AddMonths(first, -back))
		p.Closed = append(p.Closed, WavePlan{
			Name:    waveName(i+1, opens, ""),
			OpensOn: day(opens), ClosesOn: survey.AddDays(day(opens), closedWaveLasts), AnswerDays: closedWaveSpan,
		})
	}
	opens := survey.AddDays(today, -openWaveStarted)
	p.Open = WavePlan{Name: waveName(3, mustDay(today), " (en cours)"), OpensOn: opens,
		ClosesOn: survey.AddDays(opens, openWaveLasts), AnswerDays: openWaveStarted + 1}
	for _, a := range demoActions {
		p.Actions = append(p.Actions, survey.AddDays(p.Closed[a.after].ClosesOn, a.days))
	}
	return p
}

// firstMonday is the first Monday on or after civil date t.
func firstMonday(t time.Time) time.Time {
	return t.AddDate(0, 0, (int(time.Monday)-int(t.Weekday())+7)%7)
}

// waveName names a wave after its number, season and year.
func waveName(n int, t time.Time, suffix string) string {
	season := map[time.Month]string{
		time.December: "hiver", time.January: "hiver", time.February: "hiver",
		time.March: "printemps", time.April: "printemps", time.May: "printemps",
		time.June: "été", time.July: "été", time.August: "été",
	}[t.Month()]
	if season == "" {
		season = "automne"
	}
	return "Vague " + string(rune('0'+n)) + " — " + season + " " + t.Format("2006") + suffix
}

func mustDay(d string) time.Time {
	t, err := survey.ParseDay(d)
	if err != nil {
		panic("demo: " + err.Error())
	}
	return t
}

func day(t time.Time) string { return t.Format(survey.DateLayout) }
