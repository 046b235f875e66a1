package analytics

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"digigap/analytics/solve"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// The attacker test (DESIGN.md, "One system of released figures"): on
// random small orgs, collect every count a reader gets from the engine —
// groups, channels, culture items, barriers with and without a Gap,
// all-channel answerers, every band crossed with the channels, live
// snapshots, reads before and after an org move — as 0/1 rows over the
// respondents, and solve exactly (rank modulo a large prime) for any set
// of fewer than k of them.

var attackOrgs = flag.Int("attack.orgs", 120, "random orgs the attacker test tries per scenario")

// person is one respondent as the attacker test knows it.
type person struct {
	team    int64
	filters map[string]bool
}

// attackOrg is one random org, campaign and answers.
type attackOrg struct {
	st      *survey.Store
	eng     *Engine
	camp    *survey.Campaign
	people  []person
	figs    map[string]bool // released figures: teams, filter, snapshot read (-1: none)
	snaps   [][]bool        // per live read, per person: in the snapshot it read
	rows    map[string]bool // released rows, as strings of 0/1 over people
	codes   []string
	parents map[string]string
	reads   int
}

func (a *attackOrg) csv() string {
	var b strings.Builder
	b.WriteString("code,parent_code,name,headcount\n")
	for _, c := range a.codes {
		fmt.Fprintf(&b, "%s,%s,%s,12\n", c, a.parents[c], c)
	}
	return b.String()
}

func (a *attackOrg) importOrg(tb testing.TB) {
	rows, err := survey.ParseOrgCSV(strings.NewReader(a.csv()))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.st.ImportOrg(context.Background(), rows); err != nil {
		tb.Fatal(err)
	}
}

// newAttackOrg builds a random org of depth 1–4 and a campaign over it.
func newAttackOrg(tb testing.TB, r *rand.Rand, live bool) *attackOrg {
	a := &attackOrg{st: surveytest.MustOpen(tb, survey.SQLite).WithClock(func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }),
		parents: map[string]string{}, rows: map[string]bool{}, figs: map[string]bool{}}
	a.eng = New(a.st)
	depth := 1 + r.IntN(4)
	var grow func(code string, d int)
	grow = func(code string, d int) {
		a.codes = append(a.codes, code)
		if d >= depth {
			return
		}
		for i := range 1 + r.IntN(3) {
			c := fmt.Sprintf("%s%d", code, i)
			a.parents[c] = code
			grow(c, d+1)
		}
	}
	grow("T", 1)
	a.importOrg(tb)
	ctx := context.Background()
	q, err := a.st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	k := []int{3, 5}[r.IntN(2)]
	in := survey.CampaignInput{Name: "W", QuestionnaireID: q.ID, TeamCodes: []string{"T"}, OpensOn: "2026-05-01", ClosesOn: "2027-12-31",
		MinGroup: k, AccessMode: survey.AccessBoth, LiveResults: live, RetentionDays: 30}
	if a.camp, err = a.st.CreateCampaign(ctx, in); err != nil {
		tb.Fatal(err)
	}
	if _, err := a.st.OpenCampaign(ctx, a.camp.ID); err != nil {
		tb.Fatal(err)
	}
	return a
}

// answer submits one random answer for team code.
func (a *attackOrg) answer(tb testing.TB, r *rand.Rand, code string) {
	ctx := context.Background()
	def, err := a.st.Definition(ctx, a.camp.QuestionnaireID)
	if err != nil {
		tb.Fatal(err)
	}
	ans := survey.Answers{}
	for _, ch := range def.ChannelIDs()[:3] { // three channels keep the instances small
		if r.IntN(5) > 0 {
			ans[ch+".private"], ans[ch+".work"] = r.IntN(5), r.IntN(6)
		}
	}
	if r.IntN(3) > 0 {
		ans["culture.free_tone"] = 1 + r.IntN(5)
	}
	if r.IntN(2) > 0 {
		ans["barriers"] = []int{r.IntN(9)}
	}
	if r.IntN(3) > 0 || len(ans) == 0 { // an empty questionnaire is refused
		ans["profile.tenure"] = r.IntN(2)
	}
	t, err := a.st.TeamByCode(ctx, code)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.st.Submit(ctx, survey.Submission{CampaignID: a.camp.ID, TeamID: t.ID, Answers: ans}); err != nil {
		tb.Fatal(err)
	}
	codes, _, err := def.EncodeAnswers(ans)
	if err != nil {
		tb.Fatal(err)
	}
	l := survey.LayoutOf(def)
	p := person{team: t.ID, filters: map[string]bool{}}
	for _, f := range personFilters(l, codes, make([]int64, l.Len), true) {
		p.filters[f] = true
	}
	a.people = append(a.people, p)
}

// release adds the figure over G ∩ filter as a row; snap restricts it to
// the snapshot's answers.
func (a *attackOrg) release(o *org, node int, filter string, snap int) {
	size := subtreeSizes(o)
	key := fmt.Sprint(o.ids[node:node+size[node]], "|", filter, "|", snap)
	a.figs[key] = true
}

// finish turns the released figures into rows over all the respondents.
func (a *attackOrg) finish() {
	for key := range a.figs {
		parts := strings.Split(key, "|")
		teams := map[int64]bool{}
		for _, f := range strings.Fields(strings.Trim(parts[0], "[]")) {
			var id int64
			fmt.Sscan(f, &id)
			teams[id] = true
		}
		filter := strings.Join(parts[1:len(parts)-1], "|")
		snap, _ := strconv.Atoi(parts[len(parts)-1])
		row := make([]byte, len(a.people))
		for i, p := range a.people {
			row[i] = '0'
			if teams[p.team] && p.filters[filter] && (snap < 0 || i < len(a.snaps[snap]) && a.snaps[snap][i]) {
				row[i] = '1'
			}
		}
		a.rows[string(row)] = true
	}
}

// readAll reads, as HR, every page the engine serves for every team.
func (a *attackOrg) readAll(tb testing.TB, snap int) {
	ctx := context.Background()
	scope := survey.FullScope()
	camp, _ := a.st.Campaign(ctx, a.camp.ID)
	o, err := a.eng.campaignOrg(ctx, camp)
	if err != nil {
		tb.Fatal(err)
	}
	def, _ := a.st.Definition(ctx, a.camp.QuestionnaireID)
	table, err := a.eng.GapTable(ctx, scope, GapQuery{CampaignID: camp.ID, Depth: -1})
	if err != nil {
		tb.Fatal(err)
	}
	a.reads++
	for _, row := range table.Rows {
		i := o.pos[row.Team.ID]
		if row.Shown {
			a.release(o, i, filterAll, snap)
		}
		for c, cell := range row.Cells {
			if cell.Shown {
				a.release(o, i, channelFilter(table.Channels[c]), snap)
			}
		}
		s, err := a.eng.Summary(ctx, scope, camp.ID, row.Team.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if s.AllChannels.Shown {
			a.release(o, i, filterAllChannels, snap)
		}
		b, err := a.eng.Barriers(ctx, scope, camp.ID, row.Team.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if b.Shown {
			a.release(o, i, filterAll, snap)
		}
		if b.GapShown {
			a.release(o, i, filterGap, snap)
		}
		for _, it := range b.Items { // the barrier shares' own denominators
			if it.Shown {
				a.release(o, i, barrierFilter(it.Item.ID), snap)
			}
			if it.GapShown {
				a.release(o, i, barrierGapFilter(it.Item.ID), snap)
			}
		}
		cu, err := a.eng.Culture(ctx, scope, camp.ID, row.Team.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, it := range cu.Items {
			if it.Shown {
				a.release(o, i, cultureFilter(it.Item.ID), snap)
			}
		}
		a.reads += 3
		if snap >= 0 {
			continue
		}
		for _, item := range survey.LayoutOf(def).Profiles {
			bt, err := a.eng.Bands(ctx, scope, camp.ID, row.Team.ID, item.ID)
			if err != nil {
				tb.Fatal(err)
			}
			a.reads++
			for _, br := range bt.Rows {
				band := bandFilter(survey.Band(item.ID, br.Option.Value))
				if br.Shown {
					a.release(o, i, band, -1)
				}
				for c, cell := range br.Cells {
					if cell.Shown {
						a.release(o, i, band+"|"+channelFilter(bt.Channels[c]), -1)
					}
				}
			}
		}
	}
}

// scenario runs one random org: answers, reads while live, closing, reads,
// an org move and reads again. It returns a set of fewer than k people
// the released figures isolate, if any.
func scenario(tb testing.TB, seed uint64, live, move bool) (*attackOrg, []int) {
	r := rand.New(rand.NewPCG(seed, 12))
	a := newAttackOrg(tb, r, live)
	ctx := context.Background()
	var order []string
	for _, code := range a.codes {
		for range r.IntN(13) {
			order = append(order, code)
		}
	}
	r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	parts := 1
	if live {
		parts = 3
	}
	for p := range parts {
		for _, code := range order[len(order)*p/parts : len(order)*(p+1)/parts] {
			a.answer(tb, r, code)
		}
		if p == parts-1 {
			break
		}
		// The snapshot holds, per team, the answers up to its last multiple of k.
		in := make([]bool, len(a.people))
		per := map[int64][]int{}
		for i, p := range a.people {
			per[p.team] = append(per[p.team], i)
		}
		for _, idx := range per {
			for j := 0; j < len(idx)/a.camp.MinGroup*a.camp.MinGroup; j++ {
				in[idx[j]] = true
			}
		}
		a.snaps = append(a.snaps, in)
		a.readAll(tb, len(a.snaps)-1)
	}
	if _, err := a.st.CloseCampaign(ctx, a.camp.ID); err != nil {
		tb.Fatal(err)
	}
	a.readAll(tb, -1)
	if move && len(a.codes) > 2 {
		c := a.codes[1+r.IntN(len(a.codes)-1)]
		for _, p := range a.codes {
			if p != c && !strings.HasPrefix(p, c) && p != a.parents[c] {
				a.parents[c] = p
				break
			}
		}
		a.importOrg(tb)
		a.readAll(tb, -1)
	}
	a.finish()
	return a, solve.Isolated(a.rows, len(a.people), a.camp.MinGroup)
}

func TestAttacker_FindsNoOneUnderK(t *testing.T) {
	orgs, rows, reads := 0, 0, 0
	for seed := range uint64(*attackOrgs) {
		a, s := scenario(t, seed, seed%3 == 1, seed%3 == 2)
		orgs, rows, reads = orgs+1, rows+len(a.rows), reads+a.reads
		if s != nil {
			t.Fatalf("seed %d: the released figures isolate respondents %v (k = %d, %d people, %d rows)", seed, s, a.camp.MinGroup, len(a.people), len(a.rows))
		}
	}
	t.Logf("%d random orgs, %d engine reads, %d distinct released counts, none isolates fewer than k", orgs, reads, rows)
}

// TestAttacker_FindsLeaksWithEachProtectionOff shows each protection is
// needed: without it, the same attacker finds someone.
func TestAttacker_FindsLeaksWithEachProtectionOff(t *testing.T) {
	for _, tc := range []struct {
		name       string
		p          Protections
		live, move bool
	}{
		{"one rule per measure (cases 1-3)", Protections{false, true, true, true}, false, false},
		{"today's tree (case 4)", Protections{true, false, true, true}, false, true},
		{"live epochs (case 5)", Protections{true, true, false, true}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer SetProtections(tc.p)()
			for seed := range uint64(3 * *attackOrgs) {
				if _, s := scenario(t, seed, tc.live, tc.move); s != nil {
					t.Logf("seed %d isolates %v", seed, s)
					return
				}
			}
			t.Fatal("the attacker found nobody: the protection is not what stops it")
		})
	}
}
