package api_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// Regression tests of issue 12, cases 7 (team-link stuffing), 8 (counts on
// the HR console) and 9 (metadata of waves out of a manager's scope).

// edgeFixture is newFixture's org and campaigns on any dialect: campaign 1
// over NORD, 2 ("Vague Sud", k = 7, in February, closed, 6 answers) over
// SUDX only, 3 over the whole bank; HR and the NORD manager signed in.
func edgeFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)}
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: clock.Now})
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := survey.ParseOrgCSV(strings.NewReader(secOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	for _, in := range []survey.CampaignInput{
		{Name: "Vague Nord", TeamCodes: []string{"NORD"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"},
		{Name: "Vague Sud", TeamCodes: []string{"SUDX"}, OpensOn: "2026-02-02", ClosesOn: "2026-02-16", MinGroup: 7},
		{Name: "Vague Banque", TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"},
	} {
		in.QuestionnaireID = q.ID
		if _, err := st.CreateCampaign(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	clock.t = time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)
	if _, err := st.OpenCampaign(ctx, 2); err != nil {
		t.Fatal(err)
	}
	nimes, _ := st.TeamByCode(ctx, "NIMESX")
	for range 7 {
		sub := survey.Submission{CampaignID: 2, TeamID: nimes.ID, Answers: q.Def.AnswersFromForm(map[string][]string{"sms.private": {"3"}, "sms.work": {"1"}})}
		if _, err := st.Submit(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	clock.t = startOfTests() // wave 2 closed on 2026-02-16
	acc := auth.New(st)
	mustUser(t, acc, "hr@bank.example", auth.RoleHR)
	mustUser(t, acc, "nord@bank.example", auth.RoleManager, "NORD")
	f := &fixture{t: t, st: st, acc: acc, clock: clock}
	f.app = api.New(api.Deps{Store: st, Accounts: acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), InsecureCookies: true})
	f.anon, f.hr, f.mgr = f.client(), f.client(), f.client()
	f.hr.login("hr@bank.example", testPassword)
	f.mgr.login("nord@bank.example", testPassword)
	return f
}

// sudWave are the strings that would tell a NORD manager about "Vague Sud":
// its name, its dates in every format the app writes, its threshold.
var sudWave = []string{"Vague Sud", "2026-02-02", "2026-02-16", "2 février", "16 février", "2 February", "16 February",
	"February 2,", "February 16,", `"min_group":7`, `"k":7`, "k = 7", "k&nbsp;=&nbsp;7"}

func noSudWave(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range sudWave {
		if strings.Contains(body, s) {
			t.Errorf("%s: a NORD manager's answer holds %q of a wave that never covered NORD: %.400s", what, s, body)
		}
	}
}

// withCompare adds compare=2 to a path's query.
func withCompare(path string) string {
	if strings.Contains(path, "?") {
		return path + "&compare=2"
	}
	return path + "?compare=2"
}

// TestScope_WavesOutsideAManagersTreeTellNothing walks every figure,
// export and dashboard route of the router as the NORD manager: for
// campaign 2 (SUDX only) each answers 403 or 404, and no route, with
// compare=2 or listing waves (the trend, the campaign lists), names it,
// dates it or gives its k.
func TestScope_WavesOutsideAManagersTreeTellNothing(t *testing.T) {
	for _, dialect := range surveytest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			f := edgeFixture(t, dialect)
			closeCampaign3(f)
			if resp, _ := f.mgr.do("GET", "/api/v1/campaigns/2", "", ""); resp.StatusCode != 403 {
				t.Fatalf("GET /campaigns/2 as the NORD manager: %d, want 403", resp.StatusCode)
			}
			walked := 0
			for key, spec := range routeTable {
				method, _, _ := strings.Cut(key, " ")
				if method != "GET" || (spec.class != scoped && spec.class != signedIn) {
					continue
				}
				if spec.setup != nil {
					spec.setup(f)
				}
				_, body := f.mgr.do("GET", spec.in, "", "")
				noSudWave(t, key+" in scope", body)
				if !strings.Contains(spec.in, "/campaigns/3") {
					continue
				}
				walked++
				out := strings.Replace(spec.in, "/campaigns/3", "/campaigns/2", 1)
				resp, body := f.mgr.do("GET", out, "", "")
				if resp.StatusCode != 403 && resp.StatusCode != 404 {
					t.Errorf("GET %s as the NORD manager: %d, want 403 or 404", out, resp.StatusCode)
				}
				noSudWave(t, "GET "+out, body)
				cmp := withCompare(spec.in)
				_, body = f.mgr.do("GET", cmp, "", "")
				noSudWave(t, "GET "+cmp, body)
			}
			if walked < 8 {
				t.Errorf("walked %d campaign routes: the route table changed shape", walked)
			}
			// HR still reads the wave, and compares with it.
			if resp, body := f.hr.do("GET", "/api/v1/campaigns/3/gaps?compare=2", "", ""); resp.StatusCode != 200 || !strings.Contains(body, "Vague Sud") {
				t.Errorf("HR compare with wave 2: %d %.300s", resp.StatusCode, body)
			}
		})
	}
}

// consoleOrg: a bank with a sector of two teams of 6 answers and a team of
// 2 beside it. The old console showed 6, 6, "< 5" and a total of 14, so
// the team of 2 was the total minus the others.
const consoleOrg = `code,parent_code,name,headcount
B,,Banque,1
S,B,Secteur,0
T1,S,Equipe Un,9
T2,S,Equipe Deux,8
T3,B,Equipe Trois,3
`

// consoleRow is one line of the console's participation table: a team's
// group (the team and its teams in the campaign), or the total.
type consoleRow struct {
	code  string
	shown string
}

var consoleRowRE = regexp.MustCompile(`<tr><td class="depth-\d+">[^<]*<span class="muted">\(([A-Z0-9]+)\)</span></td><td class="num">\d+</td><td class="num">([^<]*)</td>`)
var consoleTotalRE = regexp.MustCompile(`id="total-responses">([^<]*)<`)

// TestConsole_NoCombinationOfCountsIsolatesATeamUnderK reads the HR
// console's participation table and, taking each shown count as its
// group's size and the total as everyone's, looks for any set of teams
// with 1 to k−1 answers that a linear combination of them gives exactly.
func TestConsole_NoCombinationOfCountsIsolatesATeamUnderK(t *testing.T) {
	for _, dialect := range surveytest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: startOfTests()}
			st := surveytest.MustOpen(t, dialect, survey.Options{Now: clock.Now})
			q, err := st.EnsureDefaultQuestionnaire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := survey.ParseOrgCSV(strings.NewReader(consoleOrg))
			if _, err := st.ImportOrg(ctx, rows); err != nil {
				t.Fatal(err)
			}
			c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			tree, _ := st.Tree(ctx)
			own := map[string]int{"B": 0, "S": 0, "T1": 6, "T2": 6, "T3": 2}
			for code, n := range own {
				for range n {
					sub := survey.Submission{CampaignID: c.ID, TeamID: tree.ByCode(code).ID, Answers: q.Def.AnswersFromForm(map[string][]string{"sms.private": {"3"}})}
					if _, err := st.Submit(ctx, sub); err != nil {
						t.Fatal(err)
					}
				}
			}
			acc := auth.New(st)
			mustUser(t, acc, "hr@bank.example", auth.RoleHR)
			f := &fixture{t: t, st: st, acc: acc, clock: clock}
			f.app = api.New(api.Deps{Store: st, Accounts: acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), InsecureCookies: true})
			for _, day := range []time.Duration{0, 15 * 24 * time.Hour} { // open, then closed
				clock.Advance(day)
				hr := f.client()
				hr.login("hr@bank.example", testPassword)
				_, page := hr.do("GET", "/hr/campaigns/"+strconv.FormatInt(c.ID, 10), "", "")
				var released []consoleRow
				for _, m := range consoleRowRE.FindAllStringSubmatch(page, -1) {
					released = append(released, consoleRow{m[1], m[2]})
				}
				if m := consoleTotalRE.FindStringSubmatch(page); m != nil {
					released = append(released, consoleRow{"", m[1]})
				}
				if len(released) != 6 {
					t.Fatalf("read %d rows of the participation table, want 5 teams and the total: %.4000s", len(released), page)
				}
				// The total is the bank's figure as the engine decides it:
				// exact, or withheld when showing it would isolate T3.
				if got := released[len(released)-1].shown; got != "14" && got != "&lt; 5" {
					t.Errorf("day %v: total reads %q, want the engine's figure for the bank (14 or withheld): %v", day, got, released)
				}
				if set, ok := isolated(tree, own, released, c.MinGroup); ok {
					t.Errorf("the console's counts %v give the %d answers of %v exactly", released, sumOf(own, set), set)
				}
			}
		})
	}
}

// isolated looks for a set of teams with 1 to k−1 answers whose count is a
// linear combination of the released ones: its indicator lies in their
// span (exact rational elimination over every subset of the teams).
func isolated(tree *survey.Tree, own map[string]int, released []consoleRow, k int) ([]string, bool) {
	codes := slices.Sorted(maps.Keys(own))
	var span [][]*big.Rat
	for _, r := range released {
		if _, err := strconv.Atoi(r.shown); err != nil {
			continue // withheld
		}
		v := make([]*big.Rat, len(codes))
		for j, code := range codes {
			in := r.code == "" || tree.IsWithin(tree.ByCode(code).ID, tree.ByCode(r.code).ID)
			v[j] = big.NewRat(map[bool]int64{true: 1, false: 0}[in], 1)
		}
		span = append(span, v)
	}
	base := rank(span)
	for mask := 1; mask < 1<<len(codes); mask++ {
		var set []string
		v := make([]*big.Rat, len(codes))
		for j, code := range codes {
			v[j] = new(big.Rat)
			if mask&(1<<j) != 0 {
				set = append(set, code)
				v[j].SetInt64(1)
			}
		}
		if n := sumOf(own, set); n > 0 && n < k && rank(append(slices.Clone(span), v)) == base {
			return set, true
		}
	}
	return nil, false
}

func sumOf(own map[string]int, set []string) int {
	n := 0
	for _, code := range set {
		n += own[code]
	}
	return n
}

// rank is the rank of rows, by Gaussian elimination over the rationals.
func rank(rows [][]*big.Rat) int {
	m := make([][]*big.Rat, len(rows))
	for i, r := range rows {
		m[i] = make([]*big.Rat, len(r))
		for j, x := range r {
			m[i][j] = new(big.Rat).Set(x)
		}
	}
	r := 0
	for col := 0; len(m) > 0 && col < len(m[0]) && r < len(m); col++ {
		p := -1
		for i := r; i < len(m); i++ {
			if m[i][col].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		for i := range m {
			if i == r || m[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(m[i][col], m[r][col])
			for j := col; j < len(m[i]); j++ {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[r][j]))
			}
		}
		r++
	}
	return r
}
