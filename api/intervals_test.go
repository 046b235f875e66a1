package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"digigap/analytics"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// clusteredStore has a closed campaign over a network R of two teams of
// 30 (T1, T2) whose six respondents each answer email very differently.
func clusteredStore(t *testing.T, st *survey.Store) *survey.Campaign {
	t.Helper()
	ctx := context.Background()
	rows := []survey.TeamRow{{Code: "R", Name: "Réseau"}, {Code: "T1", ParentCode: "R", Name: "Alpha", Headcount: 30}, {Code: "T2", ParentCode: "R", Name: "Beta", Headcount: 30}}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"R"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
	if err == nil {
		_, err = st.OpenCampaign(ctx, c.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	at := st.WithClock(func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC) })
	tree, _ := st.Tree(ctx)
	pairs := map[string][][2]int{
		"T1": {{4, 4}, {3, 3}, {4, 0}, {3, 1}, {1, 3}, {0, 0}},
		"T2": {{4, 4}, {4, 4}, {4, 4}, {4, 4}, {4, 4}, {4, 4}},
	}
	for _, code := range []string{"T1", "T2"} {
		for _, p := range pairs[code] {
			a := survey.Answers{"email.private": p[0], "email.work": p[1]}
			if _, err := at.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: tree.ByCode(code).ID, Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// The API's rolled-up interval is wider than a simple random sample's
// (the two teams answer differently) and says what it accounts for; a
// team of six has its interval marked wide.
func TestFigures_RollupIntervalAccountsForTeams(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c := clusteredStore(t, st)
	var doc struct {
		Rows []struct {
			Team  struct{ Code string }
			Cells []struct {
				N       int
				PCI     []float64 `json:"p_ci"`
				DeffGap float64   `json:"deff_gap"`
				FPC     float64   `json:"fpc"`
				Wide    bool
			}
		}
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/gaps?depth=all", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	srs := analytics.Wilson(10, 12)
	for _, r := range doc.Rows {
		email := r.Cells[0]
		switch r.Team.Code {
		case "R":
			if email.N != 12 || len(email.PCI) != 2 || email.PCI[0] >= srs.Low || email.PCI[1] <= srs.High || email.FPC != 0.8 {
				t.Errorf("R email = %+v, want n 12, p_ci wider than %v, fpc 0.8", email, srs)
			}
		case "T1":
			if !email.Wide || email.DeffGap != 1 || email.FPC != 0.8 {
				t.Errorf("T1 email = %+v, want wide, deff 1, fpc 0.8", email)
			}
		}
	}
}

// Every chart with intervals says, under the drawing and in its table
// view, what they mean, in both languages; a chart without does not.
func TestDashboard_ChartsSayWhatIntervalsCover(t *testing.T) {
	st, campaign, bank := hostileStore(t)
	app := appOf(t, st)
	page := "/dashboard/campaigns/" + itoa(campaign) + "/teams/" + itoa(bank)
	for lang, want := range map[string]string{"fr": "La non-réponse", "en": "Nonresponse"} {
		status, _, body := get(t, app, page+"?lang="+lang)
		cards := strings.Split(body, `<section class="chart-card" id="`)
		seen := map[string]int{}
		for _, card := range cards[1:] {
			id, _, _ := strings.Cut(card, `"`)
			seen[id] = strings.Count(card, want)
		}
		if status != 200 || seen["heatmap"] != 2 || seen["channels"] != 2 || seen["participation"] != 0 {
			t.Errorf("%s: status %d, sentences on nonresponse per chart: %v", lang, status, seen)
		}
	}
}

// The heatmap of a page prints each row's n, draws imprecise cells in a
// lighter series, and its table view marks them ◌.
func TestDashboard_HeatmapMarksImpreciseCells(t *testing.T) {
	st := surveytest.MustOpenDB(t).WithClock(func() time.Time { return time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC) })
	c := clusteredStore(t, st)
	tree, _ := st.Tree(context.Background())
	status, _, body := get(t, appOf(t, st), "/dashboard/campaigns/"+itoa(c.ID)+"/teams/"+itoa(tree.ByCode("R").ID)+"?lang=en")
	spec := string(specOf(t, body, "heatmap")["option"])
	if status != 200 || !strings.Contains(spec, "Alpha (n = 6)") || !strings.Contains(spec, "dg:signedWide") {
		t.Errorf("status %d; heatmap without n in its labels or without marked cells: %.400s", status, spec)
	}
	if !strings.Contains(body, " "+analytics.WideMark+"</td>") {
		t.Error("no table cell is marked imprecise")
	}
}

// Comparing the demo's two closed waves, every shown change of the index
// comes with an interval around it.
func TestFigures_IndexChangeHasAnInterval(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	cs, _ := st.Campaigns(context.Background())
	var closed []int64
	for _, c := range cs {
		if c.State == survey.StateClosed {
			closed = append(closed, c.ID)
		}
	}
	if len(closed) < 2 {
		t.Fatalf("%d closed waves in the demo", len(closed))
	}
	var doc struct {
		Rows []struct {
			Change *float64  `json:"index_change_pp"`
			CI     []float64 `json:"index_change_ci_pp"`
		}
	}
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(closed[0])+"/gaps?depth=all&compare="+itoa(closed[1]), "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	shown := 0
	for _, r := range doc.Rows {
		if r.Change == nil {
			continue
		}
		shown++
		if len(r.CI) != 2 || r.CI[0] > *r.Change || r.CI[1] < *r.Change {
			t.Errorf("index change %v with interval %v", *r.Change, r.CI)
		}
	}
	if shown == 0 {
		t.Error("no index change shown between the demo's waves")
	}
}

// The page's reference lines are labelled as another measure, in both
// languages.
func TestDashboard_ReferenceLinesSayTheyAreAnotherMeasure(t *testing.T) {
	st, campaign, bank := hostileStore(t)
	app := appOf(t, st)
	page := "/dashboard/campaigns/" + itoa(campaign) + "/teams/" + itoa(bank)
	for lang, want := range map[string]string{"fr": "(autre mesure)", "en": "(another measure)"} {
		_, _, body := get(t, app, page+"?lang="+lang)
		for _, chart := range []string{"channels", "allchannels"} {
			if spec := specOf(t, body, chart); !strings.Contains(string(spec["option"]), want) {
				t.Errorf("%s %s: no reference labelled %q", lang, chart, want)
			}
		}
	}
}
