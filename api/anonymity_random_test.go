package api_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"digigap/survey"
)

var httpAttackOrgs = flag.Int("attack.http", 25, "random orgs the HTTP attacker test tries")

// randomAnswers is one random respondent: three channels (some skipped,
// some blocked at work), a culture item, barriers and a band, often skipped.
func randomAnswers(r *rand.Rand) survey.Answers {
	a := survey.Answers{}
	for _, ch := range []string{"email", "sms", "voice_call"} {
		if r.IntN(5) > 0 {
			a[ch+".private"], a[ch+".work"] = r.IntN(5), r.IntN(6)
		}
	}
	if r.IntN(3) > 0 {
		a["culture.free_tone"] = 1 + r.IntN(5)
	}
	if r.IntN(2) > 0 {
		a["barriers"] = []int{r.IntN(9)}
	}
	if r.IntN(3) > 0 {
		a["profile.tenure"] = r.IntN(2)
	}
	return a
}

// randomOrg is a tree of depth 1–4, as org CSV, and its codes.
func randomOrg(r *rand.Rand) (string, []string) {
	var b strings.Builder
	b.WriteString("code,parent_code,name,headcount\n")
	depth := 1 + r.IntN(4)
	var codes []string
	var grow func(code, parent string, d int)
	grow = func(code, parent string, d int) {
		codes = append(codes, code)
		fmt.Fprintf(&b, "%s,%s,%s,12\n", code, parent, code)
		for i := range min(1+r.IntN(3), (depth-d)*3) {
			grow(fmt.Sprintf("%s%d", code, i), code, d+1)
		}
	}
	grow("T", "", 1)
	return b.String(), codes
}

// The attacker through the real handlers: on random small orgs, HR reads
// the heatmap, participation, every team's barriers, summary and band
// breakdowns, while live and after closing, before and after an org move;
// the solver finds nobody under k.
func TestAnonymity_RandomOrgsThroughHTTP(t *testing.T) {
	reads, rows := 0, 0
	for seed := range uint64(*httpAttackOrgs) {
		c, n, org := randomHTTPCase(t, seed)
		if s := c.isolated(); s != nil {
			t.Fatalf("seed %d: respondents %v isolated (k = %d)\n%s", seed, s, c.camp.MinGroup, org)
		}
		reads, rows = reads+n, rows+len(c.rows)
	}
	t.Logf("%d random orgs through HTTP, %d reads, %d distinct released counts: nobody under k", *httpAttackOrgs, reads, rows)
}

// randomHTTPCase runs one random org through the API and returns what was
// read, the number of requests and the org at the end.
func randomHTTPCase(t *testing.T, seed uint64) (*anonCase, int, string) {
	reads := 0
	r := rand.New(rand.NewPCG(seed, 99))
	org, codes := randomOrg(r)
	live, move := seed%3 == 1, seed%3 == 2
	c := newAnonCase(t, survey.SQLite, org, []int{3, 5}[r.IntN(2)], live)
	var order []string
	for _, code := range codes {
		for range r.IntN(13) {
			order = append(order, code)
		}
	}
	half := len(order) / 2
	for _, code := range order[:half] {
		c.answer(code, 1, randomAnswers(r))
	}
	if live {
		per := map[string]int{}
		for _, p := range c.people {
			per[p.team]++
		}
		seen := map[string]int{}
		for i, p := range c.people {
			seen[p.team]++
			c.people[i].snap = seen[p.team] <= per[p.team]/c.camp.MinGroup*c.camp.MinGroup
		}
		c.readGaps(true)
		reads++
	}
	for _, code := range order[half:] {
		c.answer(code, 1, randomAnswers(r))
	}
	c.close()
	reads += c.readEverything()
	if move && len(codes) > 2 {
		moved := codes[1+r.IntN(len(codes)-1)]
		for _, p := range codes {
			if !strings.HasPrefix(p, moved) && p != c.parents[moved] {
				org = strings.Replace(org, "\n"+moved+","+c.parents[moved]+",", "\n"+moved+","+p+",", 1)
				break
			}
		}
		c.importOrg(org)
		reads += c.readEverything()
	}
	return c, reads, org
}

// readEverything reads every figure page of every team as HR and returns
// the number of requests.
func (c *anonCase) readEverything() int {
	c.readGaps(false)
	c.readBands("profile.tenure")
	n := 1 + len(c.ids)
	var part struct {
		Rows []struct {
			Team      struct{ Code string }
			Responses *int
		}
	}
	c.get("/participation?depth=all", &part)
	for _, r := range part.Rows {
		if r.Responses != nil {
			c.release(r.Team.Code, false, everyone)
		}
	}
	for code, id := range c.ids {
		var b struct {
			Respondents    struct{ N *int } `json:"respondents"`
			GapRespondents struct{ N *int } `json:"gap_respondents"`
		}
		c.get(fmt.Sprintf("/teams/%d/barriers", id), &b)
		if b.Respondents.N != nil {
			c.release(code, false, everyone)
		}
		if b.GapRespondents.N != nil {
			c.release(code, false, withGap)
		}
		var s struct {
			AllChannelUsers struct{ N *int } `json:"all_channel_users"`
		}
		c.get(fmt.Sprintf("/teams/%d/summary", id), &s)
		n += 2
	}
	return n + 1
}
