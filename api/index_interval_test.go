package api_test

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digigap/survey"
)

// indexWaves stores analytics/index_test.go's fixture: B over T1 (hc 10)
// and T2 (hc 8), every respondent answering all ten channels, a letter
// per channel: b 4/2, c 2/4, a 4/4, d 0/0. Wave 1 covers B; then T1's
// headcount is re-imported as 12 and wave 2 covers T1 only.
func indexWaves(t *testing.T, st *survey.Store) (c1, c2 *survey.Campaign) {
	t.Helper()
	ctx := context.Background()
	org := func(hc int) {
		rows := []survey.TeamRow{{Code: "B", Name: "Banque"}, {Code: "T1", ParentCode: "B", Name: "Agence Un", Headcount: hc}, {Code: "T2", ParentCode: "B", Name: "Agence Deux", Headcount: 8}}
		if _, err := st.ImportOrg(ctx, rows); err != nil {
			t.Fatal(err)
		}
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	cells := map[byte][2]int{'a': {4, 4}, 'b': {4, 2}, 'c': {2, 4}, 'd': {0, 0}}
	wave := func(name, opens string, teams []string, answers map[string][]string) *survey.Campaign {
		c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: name, QuestionnaireID: q.ID, TeamCodes: teams, OpensOn: opens, ClosesOn: "2026-12-20"})
		if err == nil {
			_, err = st.OpenCampaign(ctx, c.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		day, _ := time.Parse(survey.DateLayout, opens)
		at := st.WithClock(func() time.Time { return day.Add(10 * time.Hour) })
		tree, _ := st.Tree(ctx)
		for code, list := range answers {
			for _, letters := range list {
				a := survey.Answers{}
				for i, ch := range q.Def.ChannelIDs() {
					a[ch+".private"], a[ch+".work"] = cells[letters[i]][0], cells[letters[i]][1]
				}
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
	org(10)
	c1 = wave("Vague 1", "2026-03-02", []string{"B"}, map[string][]string{
		"T1": {"bbbbbbbbbb", "aaaaaaaaaa", "bbbbbaaaaa", "ccaaaaaaaa", "bbbbbbbbbb", "dddddddddd"},
		"T2": {"aaaaaaaaaa", "aaaaaaaaaa", "baaaaaaaaa", "caaaaaaaaa", "bbaaaaaaaa"}})
	org(12)
	c2 = wave("Vague 2", "2026-05-04", []string{"T1"}, map[string][]string{
		"T1": {"aaaaaaaaaa", "dddddddddd", "bbbbbaaaaa", "ccaaaaaaaa", "aaaaaaaaaa", "dddddddddd"}})
	return c1, c2
}

type indexRow struct {
	Team struct{ Code string }
	// Pointers: null must stay distinguishable from 0.
	Index          *float64  `json:"adoption_gap_index_pp"`
	IndexN         *int      `json:"index_n"`
	IndexCI        []float64 `json:"index_ci_pp"`
	IndexDeff      *float64  `json:"index_deff"`
	Comparable     *bool
	SamePopulation *bool     `json:"same_population"`
	Population     *int      `json:"population"`
	ComparePop     *int      `json:"compare_population"`
	IndexChange    *float64  `json:"index_change_pp"`
	IndexChangeCI  []float64 `json:"index_change_ci_pp"`
}

// The gaps API gives the index its interval from respondents' scores
// (analytics/index_test.go computes the same figures by hand), the CSV
// export carries it in two columns, and a withheld group has none.
func TestFigures_IndexIntervalInTheAPIAndTheExport(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c1, c2 := indexWaves(t, st)
	var doc struct{ Rows []indexRow }
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c1.ID)+"/gaps?depth=all", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	want := map[string][3]float64{ // n, low, high (pp)
		"T1": {6, 100 * (2.3/6 - 0.268581), 100 * (2.3/6 + 0.268581)},
		"B":  {11, 100 * (2.5/11 - 0.290612), 100 * (2.5/11 + 0.290612)},
	}
	for _, r := range doc.Rows {
		w, ok := want[r.Team.Code]
		if !ok {
			continue
		}
		if r.IndexN == nil || *r.IndexN != int(w[0]) || len(r.IndexCI) != 2 || math.Abs(r.IndexCI[0]-w[1]) > 0.01 || math.Abs(r.IndexCI[1]-w[2]) > 0.01 {
			t.Errorf("%s: index n %v interval %v, want n %v [%.2f, %.2f]", r.Team.Code, r.IndexN, r.IndexCI, w[0], w[1], w[2])
		}
		delete(want, r.Team.Code)
	}
	if len(want) > 0 {
		t.Errorf("rows missing: %v", want)
	}
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c1.ID)+"/export/gaps?depth=all&lang=en", "", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	lines := strings.Split(string(body), "\n")
	if len(lines) < 3 || !strings.Contains(lines[1], "Index 95% low (pp),Index 95% high (pp),Index respondents") {
		t.Fatalf("CSV header %q", lines[:min(len(lines), 2)])
	}
	if !strings.Contains(string(body), ",11.48,65.19,6\n") {
		t.Errorf("no T1 row with its index interval 11.48 to 65.19 over 6 in %s", body)
	}
	// The Excel export is the same sheet: the interval in two columns.
	resp = do(t, app, "GET", "/api/v1/campaigns/"+itoa(c1.ID)+"/export/gaps?format=xlsx&depth=all&lang=en", "", nil, nil)
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	found := false
	for _, r := range rows[2:] {
		if len(r) > 20 && r[0] == "T1" {
			lo, _ := strconv.ParseFloat(r[18], 64)
			hi, _ := strconv.ParseFloat(r[19], 64)
			found = math.Abs(lo-11.48) < 0.01 && math.Abs(hi-65.19) < 0.01 && r[20] == "6"
			if !found {
				t.Logf("xlsx T1 row %q", r)
			}
		}
	}
	if len(rows) < 3 || rows[1][18] != "Index 95% low (pp)" || !found {
		t.Errorf("xlsx header %q, T1's index interval not in columns 19–21", rows[1])
	}
	// Wave 2 took no answer in T2: its row is withheld, index and all.
	doc.Rows = nil
	do(t, app, "GET", "/api/v1/campaigns/"+itoa(c2.ID)+"/gaps?depth=all", "", nil, &doc)
	for _, r := range doc.Rows {
		if r.Team.Code == "T2" && (r.Index != nil || r.IndexN != nil || r.IndexCI != nil || r.IndexDeff != nil) {
			t.Errorf("withheld T2 has index figures: %+v", r)
		}
	}
}

// Compared through the API, wave 2 (T1 only) does not compare with wave 1
// at bank level; T1 compares, with the difference's interval, and the
// answer says its headcount changed (10 → 12).
func TestFigures_TrendComparesOnlyTeamsBothWavesCovered(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c1, c2 := indexWaves(t, st)
	var doc struct{ Rows []indexRow }
	if resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c2.ID)+"/gaps?depth=all&compare="+itoa(c1.ID), "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	se := math.Sqrt(0.5*0.055/6 + 0.4*(1.408333/5)/6)
	change := 0.05 - 2.3/6
	seen := 0
	for _, r := range doc.Rows {
		switch r.Team.Code {
		case "B":
			seen++
			if r.Comparable == nil || *r.Comparable || r.IndexChange != nil || r.SamePopulation == nil || *r.SamePopulation {
				t.Errorf("B compared: %+v", r)
			}
		case "T1":
			seen++
			if r.Comparable == nil || !*r.Comparable || r.IndexChange == nil || math.Abs(*r.IndexChange-100*change) > 0.01 ||
				len(r.IndexChangeCI) != 2 || math.Abs(r.IndexChangeCI[0]-100*(change-1.959964*se)) > 0.01 || math.Abs(r.IndexChangeCI[1]-100*(change+1.959964*se)) > 0.01 {
				t.Errorf("T1 change %v %v, want %.2f ± %.2f", r.IndexChange, r.IndexChangeCI, 100*change, 100*1.959964*se)
			}
			if r.SamePopulation == nil || *r.SamePopulation || r.Population == nil || *r.Population != 12 || r.ComparePop == nil || *r.ComparePop != 10 {
				t.Errorf("T1 population %v then %v (same %v), want 12 and 10, not the same", r.Population, r.ComparePop, r.SamePopulation)
			}
		}
	}
	if seen != 2 {
		t.Errorf("rows B and T1: saw %d", seen)
	}
}
