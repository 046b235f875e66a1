package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics/solve"
	"digigap/api"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// anonCase is one of issue 12's attacks: a small org, one campaign, the
// answers (known to the test, as ground truth) and the counts a reader got
// through the HTTP API, as 0/1 rows over the respondents for the solver.
type anonCase struct {
	t       *testing.T
	app     *fiber.App
	st      *survey.Store
	camp    *survey.Campaign
	ids     map[string]int64
	parents map[string]string
	org     string
	people  []anonPerson
	figs    []anonFig
	rows    map[string]bool
}

type anonPerson struct {
	team string
	a    survey.Answers
	snap bool // in the live snapshot read
}

func newAnonCase(t *testing.T, dialect, org string, k int, live bool) *anonCase {
	t.Helper()
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }})
	ctx := context.Background()
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &anonCase{t: t, st: st, ids: map[string]int64{}, parents: map[string]string{}, rows: map[string]bool{}}
	c.importOrg(org)
	c.app = api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hrTokens.Store(c.app, mustHRToken(t, st))
	root := strings.Split(strings.Split(org, "\n")[1], ",")[0]
	c.camp, err = st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{root},
		OpensOn: "2026-03-02", ClosesOn: "2026-03-20", MinGroup: k, AccessMode: survey.AccessBoth, LiveResults: live, RetentionDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.camp.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *anonCase) importOrg(org string) {
	rows, err := survey.ParseOrgCSV(strings.NewReader(org))
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.st.ImportOrg(context.Background(), rows); err != nil {
		c.t.Fatal(err)
	}
	c.org = org
	for _, line := range strings.Split(strings.TrimSpace(org), "\n")[1:] {
		f := strings.Split(line, ",")
		c.parents[f[0]] = f[1]
		t, err := c.st.TeamByCode(context.Background(), f[0])
		if err != nil {
			c.t.Fatal(err)
		}
		c.ids[f[0]] = t.ID
	}
}

// answer submits n identical answers for team.
func (c *anonCase) answer(team string, n int, a survey.Answers) {
	for range n {
		if _, err := c.st.Submit(context.Background(), survey.Submission{CampaignID: c.camp.ID, TeamID: c.ids[team], Answers: a}); err != nil {
			c.t.Fatal(err)
		}
		c.people = append(c.people, anonPerson{team: team, a: a})
	}
}

func (c *anonCase) close() {
	if _, err := c.st.CloseCampaign(context.Background(), c.camp.ID); err != nil {
		c.t.Fatal(err)
	}
}

func (c *anonCase) get(path string, out any) {
	c.t.Helper()
	resp := do(c.t, c.app, "GET", fmt.Sprintf("/api/v1/campaigns/%d%s", c.camp.ID, path), "", nil, out)
	if resp.StatusCode != 200 {
		c.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
}

// within reports whether team lies in code's subtree as the reader sees
// the org now.
func (c *anonCase) within(team, code string) bool {
	for t := team; t != ""; t = c.parents[t] {
		if t == code {
			return true
		}
	}
	return false
}

// release records a shown count over the respondents of code's group
// (as the org is now) that pred selects; snap restricts it to the live
// snapshot the reader saw.
func (c *anonCase) release(code string, snap bool, pred func(survey.Answers) bool) {
	teams := map[string]bool{}
	for t := range c.parents {
		if c.within(t, code) {
			teams[t] = true
		}
	}
	c.figs = append(c.figs, anonFig{teams, snap, pred})
}

type anonFig struct {
	teams map[string]bool
	snap  bool
	pred  func(survey.Answers) bool
}

// count is the number of respondents figure f covers.
func (c *anonCase) count(f anonFig) int {
	n := 0
	for _, p := range c.people {
		if f.teams[p.team] && f.pred(p.a) && (!f.snap || p.snap) {
			n++
		}
	}
	return n
}

// isolated runs the solver over everything released, as 0/1 rows over
// every respondent.
func (c *anonCase) isolated() []int { return c.isolatedUnder(c.camp.MinGroup) }

func (c *anonCase) isolatedUnder(k int) []int {
	for _, f := range c.figs {
		row := make([]byte, len(c.people))
		for i, p := range c.people {
			row[i] = '0'
			if f.teams[p.team] && f.pred(p.a) && (!f.snap || p.snap) {
				row[i] = '1'
			}
		}
		c.rows[string(row)] = true
	}
	return solve.Isolated(c.rows, len(c.people), k)
}

func everyone(survey.Answers) bool { return true }

func answered(ch string) func(survey.Answers) bool {
	return func(a survey.Answers) bool {
		_, p := a[ch+".private"]
		_, w := a[ch+".work"]
		return p && w
	}
}

func inBand(item string, v int) func(survey.Answers) bool {
	return func(a survey.Answers) bool { b, ok := a[item]; return ok && b == v }
}

// withGap is regular private use and no regular work use of some channel
// (the blocked answer, 5, counts as no use).
func withGap(a survey.Answers) bool {
	for k, v := range a {
		if ch, ok := strings.CutSuffix(k, ".private"); ok && v.(int) >= 3 {
			if w, ok := a[ch+".work"]; ok && (w.(int) < 3 || w.(int) == 5) {
				return true
			}
		}
	}
	return false
}

// gapsDoc is the part of GET …/gaps the cases read.
type gapsDoc struct {
	Rows []struct {
		Team struct {
			ID       int64
			Code     string
			ParentID *int64 `json:"parent_id"`
		}
		Responses *int
		Cells     []struct {
			Channel string
			N       *int
		}
	}
}

// readGaps releases every count of the heatmap.
func (c *anonCase) readGaps(snap bool) gapsDoc {
	var doc gapsDoc
	c.get("/gaps?depth=all", &doc)
	// The groups are the tree the API shows, whatever an import did since.
	codes := map[int64]string{}
	for _, r := range doc.Rows {
		codes[r.Team.ID] = r.Team.Code
	}
	for _, r := range doc.Rows {
		c.parents[r.Team.Code] = ""
		if r.Team.ParentID != nil {
			c.parents[r.Team.Code] = codes[*r.Team.ParentID]
		}
	}
	for _, r := range doc.Rows {
		if r.Responses != nil {
			c.release(r.Team.Code, snap, everyone)
			if got := c.count(c.figs[len(c.figs)-1]); got != *r.Responses {
				c.t.Fatalf("%s: the API counts %d respondents, the test %d: the test's model of the release is wrong", r.Team.Code, *r.Responses, got)
			}
		}
		for _, cell := range r.Cells {
			if cell.N != nil {
				c.release(r.Team.Code, snap, answered(cell.Channel))
			}
		}
	}
	return doc
}

// readBands releases every count of item's breakdown of each team.
func (c *anonCase) readBands(item string) {
	for code, id := range c.ids {
		var doc struct {
			Bands []struct {
				Value int
				Group struct {
					Responses *int
					Cells     []struct {
						Channel string
						N       *int
					}
				}
			}
		}
		c.get(fmt.Sprintf("/teams/%d/bands/%s", id, item), &doc)
		for _, b := range doc.Bands {
			band := inBand(item, b.Value)
			if b.Group.Responses != nil {
				c.release(code, false, band)
			}
			for _, cell := range b.Group.Cells {
				if cell.N != nil {
					ch := answered(cell.Channel)
					c.release(code, false, func(a survey.Answers) bool { return band(a) && ch(a) })
				}
			}
		}
	}
}
