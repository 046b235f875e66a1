package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/api"
	"digigap/survey"
)

// appOf builds the app over st, signed in as HR for get.
func appOf(t *testing.T, st *survey.Store) *fiber.App {
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hrTokens.Store(app, hrBearer(t, st))
	return app
}

// get fetches a page as a browser would and returns its status, headers and body.
func get(t *testing.T, app *fiber.App, path string) (int, map[string]string, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept", "text/html")
	if tok, ok := hrTokens.Load(app); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return resp.StatusCode, h, string(body)
}

// everyDashboardPage lists the dashboard pages of st: the campaign list,
// each campaign's tree, and each campaign's page for a sample of teams at
// every depth (the bank, sectors, branches, teams).
func everyDashboardPage(t *testing.T, st *survey.Store) []string {
	t.Helper()
	ctx := context.Background()
	cs, _ := st.Campaigns(ctx)
	teams, _ := st.Teams(ctx)
	pages := []string{"/dashboard/"}
	for _, c := range cs {
		pages = append(pages, fmt.Sprintf("/dashboard/campaigns/%d", c.ID))
		for i, tm := range teams {
			if i%7 != 0 {
				continue
			}
			pages = append(pages, fmt.Sprintf("/dashboard/campaigns/%d/teams/%d", c.ID, tm.ID))
		}
	}
	return pages
}

var (
	anyURL        = regexp.MustCompile(`(?i)https?://`)
	scriptTag     = regexp.MustCompile(`<script[^>]*>`)
	styleAttr     = regexp.MustCompile(`(?i)<[^>]+\sstyle=`)
	nonceInHeader = regexp.MustCompile(`'nonce-([^']+)'`)
)

// Every page, in both languages, loads nothing from another host, runs
// only scripts carrying the request's nonce, has no inline style, and
// its CSP has no 'unsafe-inline'.
func TestDashboardPages_LoadNothingFromAnotherHost(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	for _, lang := range []string{"fr", "en"} {
		for _, p := range everyDashboardPage(t, st) {
			status, h, body := get(t, app, p+"?lang="+lang)
			if status != 200 {
				t.Fatalf("%s = %d", p, status)
			}
			if loc := anyURL.FindStringIndex(body); loc != nil {
				t.Errorf("%s refers to a host: %q", p, body[max(0, loc[0]-40):min(len(body), loc[1]+40)])
			}
			csp := h["Content-Security-Policy"]
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP %q weakened", p, csp)
			}
			nonce := nonceInHeader.FindStringSubmatch(csp)
			for _, tag := range scriptTag.FindAllString(body, -1) {
				if nonce == nil || !strings.Contains(html.UnescapeString(tag), `nonce="`+nonce[1]+`"`) {
					t.Errorf("%s: script without the request's nonce: %s", p, tag)
				}
			}
			if m := styleAttr.FindString(body); m != "" {
				t.Errorf("%s: inline style, which the CSP blocks: %s", p, m)
			}
		}
	}
}

// The page's figures are the engine's: the heatmap's table view shows the
// engine's Gap for the same group, rounded, and its withheld cells.
func TestDashboardGroup_HeatmapTableMatchesTheEngine(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	cs, _ := st.Campaigns(ctx)
	var closed int64
	for _, c := range cs {
		if c.Phase(st.Today()) == survey.PhaseClosed {
			closed = c.ID
			break
		}
	}
	tree, _ := st.Tree(ctx)
	root := tree.Roots()[0]
	gt, err := analytics.New(st).GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: closed, TeamID: root, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	recs := csvOf(t, appOf(t, st), fmt.Sprintf("/dashboard/campaigns/%d/teams/%d/csv/heatmap?lang=en", closed, root))
	if got, want := len(recs), len(gt.Rows)+1; got != want {
		t.Fatalf("CSV rows = %d, want %d (header + the engine's rows)", got, want)
	}
	withheld := 0
	for r, row := range gt.Rows {
		for c, cell := range row.Cells {
			got := recs[r+1][c+1]
			want := "withheld (fewer than 5 answers)"
			if cell.Shown {
				want = fmt.Sprintf("%.1f", cell.Gap*100)
				want = strings.TrimSuffix(strings.TrimSuffix(want, "0"), ".")
			} else {
				withheld++
			}
			if got != want {
				t.Errorf("row %s, channel %s = %q, want %q", row.Team.Name, gt.Channels[c], got, want)
			}
		}
	}
	if withheld == 0 {
		t.Error("the demo data should withhold some cells")
	}
}

func csvOf(t *testing.T, app *fiber.App, path string) [][]string {
	t.Helper()
	status, h, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("%s = %d: %s", path, status, body)
	}
	if got, want := h["Content-Type"], "text/csv; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	body, bom := strings.CutPrefix(body, "\ufeff")
	if !bom {
		t.Errorf("%s has no UTF-8 byte-order mark: Excel would misread its accents", path)
	}
	r := csv.NewReader(strings.NewReader(body))
	if !strings.Contains(path, "lang=en") {
		r.Comma = ';' // French Excel
	}
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:] // the note row
}

// Hostile names reach the page only escaped: as HTML text in the tables,
// and as JSON with <, > and & escaped inside the chart blocks.
func TestDashboardGroup_HostileNamesAreEscaped(t *testing.T) {
	st, campaign, bank := hostileStore(t)
	status, _, body := get(t, appOf(t, st), fmt.Sprintf("/dashboard/campaigns/%d/teams/%d", campaign, bank))
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, raw := range []string{hostileName, "<svg onload", "<img src=x onerror=alert(2)>", "</script>target", "<b>1</b>"} {
		if strings.Contains(body, raw) {
			t.Errorf("page contains %q unescaped", raw)
		}
	}
	if !strings.Contains(body, `\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e`) {
		t.Error("the chart data does not carry the hostile name JSON-escaped")
	}
	if !strings.Contains(body, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the table view does not show the hostile name as text")
	}
}

// A figure withheld by the engine never reaches a chart as a number: the
// small teams' cells are in the withheld series only, and their answers
// appear nowhere in the chart data.
func TestDashboardGroup_WithheldTeamsAreNeverDrawnAsNumbers(t *testing.T) {
	st, campaign, bank := hostileStore(t)
	_, _, body := get(t, appOf(t, st), fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=en", campaign, bank))
	spec := specOf(t, body, "heatmap")
	var opt struct {
		YAxis  []struct{ Data []struct{ Value string } } `json:"yAxis"`
		Series []struct {
			Name string
			Data [][]float64 // [x, y, value]: compact points (analytics.compactData)
		}
	}
	if err := json.Unmarshal(spec["option"], &opt); err != nil {
		t.Fatal(err)
	}
	small := map[float64]bool{}
	for i, c := range opt.YAxis[0].Data {
		if strings.Contains(c.Value, "petite équipe") || strings.HasPrefix(c.Value, "Petite") {
			small[float64(i)] = true
		}
	}
	if len(small) != 2 {
		t.Fatalf("small teams on the axis = %d, want 2", len(small))
	}
	for _, d := range opt.Series[0].Data {
		if small[d[1]] {
			t.Errorf("a withheld team's Gap %v is drawn", d)
		}
	}
	hidden := 0
	for _, d := range opt.Series[1].Data {
		if small[d[1]] {
			hidden++
			if d[2] != 0 {
				t.Errorf("withheld cell carries %v", d)
			}
		}
	}
	if got, want := hidden, 2*11; got != want {
		t.Errorf("withheld cells of the small teams = %d, want %d (10 channels + index each)", got, want)
	}
}

// specOf reads one chart's JSON block from a page.
func specOf(t *testing.T, body, id string) map[string]json.RawMessage {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" id="` + id + `-spec"[^>]*>([^<]*)</script>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s chart block", id)
	}
	var spec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(m[1]), &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestDashboardCSV_QuotesFormulasAndRefusesUnknownCharts(t *testing.T) {
	st, campaign, bank := hostileStore(t)
	app := appOf(t, st)
	recs := csvOf(t, app, fmt.Sprintf("/dashboard/campaigns/%d/teams/%d/csv/ranking", campaign, bank))
	found := false
	for _, r := range recs {
		if strings.Contains(r[0], "HYPERLINK") {
			found = true
			if !strings.HasPrefix(r[0], "'=") {
				t.Errorf("formula not quoted: %q", r[0])
			}
		}
	}
	if !found {
		t.Error("the ranking CSV lacks the team named like a formula")
	}
	if status, _, _ := get(t, app, fmt.Sprintf("/dashboard/campaigns/%d/teams/%d/csv/nope", campaign, bank)); status != 404 {
		t.Errorf("unknown chart = %d, want 404", status)
	}
	if status, _, _ := get(t, app, fmt.Sprintf("/dashboard/campaigns/%d/teams/999999", campaign)); status != 404 {
		t.Errorf("unknown team = %d, want 404", status)
	}
}

// While a wave is open, its page shows participation only, says why, and
// the participation chart polls its live spec.
func TestDashboardOpenWave_ShowsLiveParticipationOnly(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	cs, _ := st.Campaigns(context.Background())
	tree, _ := st.Tree(context.Background())
	var open int64
	for _, c := range cs {
		if c.Phase(st.Today()) == survey.PhaseOpen {
			open = c.ID
		}
	}
	page := fmt.Sprintf("/dashboard/campaigns/%d/teams/%d", open, tree.Roots()[0])
	_, _, body := get(t, app, page+"?lang=en")
	if got, want := strings.Count(body, `class="chart-card"`), 1; got != want {
		t.Errorf("charts on the open wave's page = %d, want %d", got, want)
	}
	if !strings.Contains(body, `data-live="`+page+`/live/participation"`) || !strings.Contains(body, "Results appear when it closes") {
		t.Error("the participation chart is not live, or the page does not say why figures are missing")
	}
	status, _, live := get(t, app, page+"/live/participation")
	if status != 200 || !strings.Contains(live, `"option"`) {
		t.Errorf("live spec = %d %.80s", status, live)
	}
}

func TestDashboardPages_SpeakBothLanguages(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	_, _, fr := get(t, app, "/dashboard/?lang=fr")
	_, _, en := get(t, app, "/dashboard/?lang=en")
	if !strings.Contains(fr, "Tableaux de bord") || !strings.Contains(en, "Dashboards") {
		t.Error("the campaign list is not translated")
	}
	if !strings.Contains(en, `href="/dashboard/?lang=fr"`) {
		t.Error("no switch to French on the English page")
	}
}
