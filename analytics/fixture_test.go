package analytics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"digigap/analytics"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// The fixture every hand-computed figure below comes from (k = 5):
//
//	B (hc 2) ── S1 (hc 0) ── A1 (hc 12): 6 responses
//	        │            └── A2 (hc 8): 2 responses
//	        └── S2 (hc 0) ── A3 (hc 9): 6 responses
//
// A1's email answers (private/work): 4/4 (with a comment), 3/3 (regular both: a=2),
// 4/blocked, 3/1 (b=2), 1/3 (c=1), 0/0 (d=1); tenure band 0 for all.
// A2: two responses with tenure 0 and no channel answered.
// A3: every channel 4 privately and 2 at work, except email 4/4; barriers
// {0,2} ×3, {2} ×2, none ×1; culture.free_tone 1,2,2,4,5,3; tenure band 1
// for five, unanswered for the sixth.
const fixtureOrg = `code,parent_code,name,headcount
B,,Banque,2
S1,B,Secteur Nord,0
S2,B,Secteur Sud,0
A1,S1,Agence Lille,12
A2,S1,Agence Douai,8
A3,S2,Agence Nîmes,9
`

type fixture struct {
	st   *survey.Store
	eng  *analytics.Engine
	camp *survey.Campaign
	team map[string]int64
}

func day(d string) func() time.Time {
	t, _ := time.Parse(survey.DateLayout, d)
	return func() time.Time { return t.Add(10 * time.Hour) }
}

func a1Answers() []survey.Answers {
	pairs := [][2]int{{4, 4}, {3, 3}, {4, 5}, {3, 1}, {1, 3}, {0, 0}}
	out := make([]survey.Answers, len(pairs))
	for i, p := range pairs {
		out[i] = survey.Answers{"email.private": p[0], "email.work": p[1], "profile.tenure": 0}
	}
	out[0]["comment"] = "<b>Bonjour</b> & merci"
	return out
}

func a3Answers(def *survey.Definition, emailWork int) []survey.Answers {
	culture := []int{1, 2, 2, 4, 5, 3}
	barriers := [][]int{{0, 2}, {0, 2}, {0, 2}, {2}, {2}, nil}
	out := make([]survey.Answers, 6)
	for i := range out {
		a := survey.Answers{"culture.free_tone": culture[i]}
		for _, ch := range def.ChannelIDs() {
			a[ch+".private"], a[ch+".work"] = 4, 2
		}
		a["email.work"] = emailWork
		if barriers[i] != nil {
			a["barriers"] = barriers[i]
		}
		if i < 5 {
			a["profile.tenure"] = 1
		}
		out[i] = a
	}
	return out
}

// newFixture stores the fixture's org and one closed campaign (k = 5).
func newFixture(tb testing.TB, dialect string) *fixture {
	tb.Helper()
	ctx := context.Background()
	st := surveytest.MustOpen(tb, dialect).WithClock(day("2026-06-01"))
	rows, _ := survey.ParseOrgCSV(strings.NewReader(fixtureOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{st: st, eng: analytics.New(st), team: map[string]int64{}}
	for _, code := range []string{"B", "S1", "S2", "A1", "A2", "A3"} {
		t, _ := st.TeamByCode(ctx, code)
		f.team[code] = t.ID
	}
	f.camp = f.wave(tb, "Vague 1", "2026-03-02", 4, false)
	return f
}

// wave runs one campaign over the fixture and closes it unless keepOpen.
func (f *fixture) wave(tb testing.TB, name, opens string, a3EmailWork int, keepOpen bool, live ...bool) *survey.Campaign {
	tb.Helper()
	ctx := context.Background()
	q, _ := f.st.EnsureDefaultQuestionnaire(ctx)
	in := survey.CampaignInput{Name: name, QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: opens, ClosesOn: "2027-12-31", MinGroup: 5}
	in.LiveResults = len(live) > 0 && live[0]
	c, err := f.st.CreateCampaign(ctx, in)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.st.OpenCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	st := f.st.WithClock(day(opens))
	submit := func(team string, answers []survey.Answers) {
		for _, a := range answers {
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: f.team[team], Answers: a}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	submit("A1", a1Answers())
	submit("A2", []survey.Answers{{"profile.tenure": 0}, {"profile.tenure": 0}})
	submit("A3", a3Answers(q.Def, a3EmailWork))
	if !keepOpen {
		if _, err := f.st.CloseCampaign(ctx, c.ID); err != nil {
			tb.Fatal(err)
		}
	}
	c, _ = f.st.Campaign(ctx, c.ID)
	diffs, err := f.st.Verify(ctx)
	if err != nil || len(diffs) > 0 {
		tb.Fatalf("verify: %v %v", err, diffs)
	}
	return c
}
