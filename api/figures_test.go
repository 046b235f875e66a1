package api_test

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digigap/survey"
)

// closedCampaign stores orgCSV and a closed campaign: A1 has 6 responses
// (one with a comment), A2 has 2, so A2 and, by the sibling rule, A1 are withheld.
func closedCampaign(t *testing.T, st *survey.Store) (*survey.Campaign, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	rows, _ := survey.ParseOrgCSV(strings.NewReader(orgCSV))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
	if err != nil {
		t.Fatal(err)
	}
	st.OpenCampaign(ctx, c.ID)
	at := st.WithClock(func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC) })
	ids := map[string]int64{}
	for _, code := range []string{"B", "S1", "A1", "A2"} {
		tm, _ := st.TeamByCode(ctx, code)
		ids[code] = tm.ID
	}
	for i := range 8 {
		team, a := ids["A1"], survey.Answers{"email.private": 4, "email.work": i % 6}
		if i >= 6 {
			team = ids["A2"]
		}
		if i == 0 {
			a["comment"] = "<script>alert(1)</script>"
		}
		if _, err := at.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team, Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c, ids
}

func TestFigures_GapTableMarksWithheldCellsNull(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c, _ := closedCampaign(t, st)
	var doc struct {
		Threshold int
		Rows      []struct {
			Team       struct{ Code string }
			Suppressed bool
			Responses  *int
			Cells      []map[string]any
		}
	}
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/gaps?depth=all", "", nil, &doc)
	if resp.StatusCode != 200 || doc.Threshold != 5 || len(doc.Rows) != 4 {
		t.Fatalf("status %d, threshold %d, %d rows", resp.StatusCode, doc.Threshold, len(doc.Rows))
	}
	for _, r := range doc.Rows {
		withheld := r.Team.Code == "A1" || r.Team.Code == "A2"
		if r.Suppressed != withheld || (r.Responses == nil) != withheld {
			t.Errorf("%s: suppressed %v responses %v", r.Team.Code, r.Suppressed, r.Responses)
		}
		if email := r.Cells[0]; withheld && (email["suppressed"] != true || email["gap_pp"] != nil || email["n"] != nil) {
			t.Errorf("%s email cell = %v, want null figures", r.Team.Code, email)
		}
	}
}

func TestFigures_CommentsAreEscapedJSON(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c, ids := closedCampaign(t, st)
	// B has 8 respondents: fewer than 10, no comments.
	var doc struct {
		Suppressed bool
		Comments   []string
	}
	do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/teams/"+itoa(ids["B"])+"/comments", "", nil, &doc)
	if !doc.Suppressed || len(doc.Comments) != 0 {
		t.Errorf("comments of a group of 8 = %+v, want none", doc)
	}
	// Nine more respondents in A2, each with a comment, make B a group of
	// 10 comments: free text needs 10 people who wrote one.
	ctx := context.Background()
	st.DB().Exec("UPDATE campaigns SET state = 'open' WHERE id = ?", c.ID)
	at := st.WithClock(func() time.Time { return time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC) })
	for range 9 {
		at.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: ids["A2"], Answers: survey.Answers{"sms.private": 1, "comment": "merci"}})
	}
	st.CloseCampaign(ctx, c.ID)
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/teams/"+itoa(ids["B"])+"/comments", "", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `\u003cscript\u003ealert(1)\u003c/script\u003e`) || strings.Contains(string(body), "<script") {
		t.Errorf("comments body = %s, want the comment escaped", body)
	}
}

func TestExport_CSVInFrenchAndXLSXWithBlankWithheldCells(t *testing.T) {
	app, st := newApp(t, survey.SQLite)
	c, _ := closedCampaign(t, st)
	resp := do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/export/participation?depth=all&lang=fr", "", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	lines := strings.Split(strings.TrimPrefix(string(body), "\ufeff"), "\n")
	if resp.StatusCode != 200 || !strings.Contains(lines[0], "moins de 5 répondants") || !strings.HasPrefix(lines[1], "Code équipe;Équipe;") {
		t.Fatalf("status %d, CSV starts %q", resp.StatusCode, lines[:2])
	}
	if !strings.Contains(string(body), "A2;Agence Douai;2;8;;;\n") || !strings.Contains(string(body), "S1;Secteur Nord;1;21;8;0,381") {
		t.Errorf("CSV rows = %q, want A2 blank and S1 8/21 with a decimal comma", lines[2:])
	}
	resp = do(t, app, "GET", "/api/v1/campaigns/"+itoa(c.ID)+"/export/gaps?format=xlsx&depth=all&lang=en", "", nil, nil)
	f, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if !strings.Contains(rows[0][0], "fewer than 5") || rows[1][4] != "Respondents" {
		t.Errorf("xlsx starts %q", rows[:2])
	}
	for _, r := range rows[2:] {
		if r[0] == "A2" && len(r) > 4 && r[4] != "" {
			t.Errorf("A2 row has figures: %q", r)
		}
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
