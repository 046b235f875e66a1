package api_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// demoStore is a fresh store with the demo data, as serve --demo makes it.
func demoStore(t *testing.T) *survey.Store {
	t.Helper()
	st := surveytest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return st
}

// demoPages are the chart pages the browser test opens: org-wide, a
// sector, a branch and a team in a closed wave, the open wave, and the
// navigation pages.
func demoPages(t *testing.T, st *survey.Store) [][2]string {
	t.Helper()
	ctx := context.Background()
	tree, err := st.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := st.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var closed, open int64
	for _, c := range cs {
		switch c.Phase(st.Today()) {
		case survey.PhaseOpen:
			open = c.ID
		case survey.PhaseClosed:
			if closed == 0 {
				closed = c.ID // newest closed wave first
			}
		}
	}
	if closed == 0 || open == 0 {
		t.Fatalf("demo data lacks a closed (%d) or an open (%d) wave", closed, open)
	}
	page := func(c int64, code, lang string) string {
		return fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=%s", c, tree.ByCode(code).ID, lang)
	}
	return [][2]string{ // the org-wide page first, so its weight is measured with an empty cache
		{"01-org-wide-fr", page(closed, "CRV", "fr")},
		{"02-sector-en", page(closed, "CRV-SUD", "en")},
		{"03-branch-fr", page(closed, "AG001", "fr")},
		{"04-team-en", page(closed, "AG001-ACC", "en")},
		{"05-open-wave-fr", page(open, "CRV", "fr")},
		{"06-campaigns-fr", "/dashboard/?lang=fr"},
		{"07-campaign-tree-en", fmt.Sprintf("/dashboard/campaigns/%d?lang=en", closed)},
		{"10-branch-page-sector-fr", fmt.Sprintf("/dashboard/teams/%d?lang=fr", tree.ByCode("CRV-NORD").ID)},
		{"11-branch-page-en", fmt.Sprintf("/dashboard/teams/%d?lang=en", tree.ByCode("AG001").ID)},
	}
}

func TestDashboardBrowser_EveryDemoPageDrawsItsChartsCleanly(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st := demoStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	for _, np := range demoPages(t, st) {
		name, path := np[0], np[1]
		ms, charts := visit(t, ctx, w, base+path)
		problems, bytes := w.report()
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		if strings.Contains(path, "/teams/") && charts == 0 {
			t.Errorf("%s: no chart on a group page", name)
		}
		t.Logf("%s: %d charts, first chart after %.0f ms, %.0f kB transferred (%s)", name, charts, ms, bytes/1024, w.breakdown())
		dashScreenshot(t, ctx, name)
	}
	printPreview(t, ctx, base+demoPages(t, st)[2][1])
}

// printPreview shows a page as printed on A4 portrait: print media, the
// 180 mm text width (680 px) the print stylesheet and charts.js size for.
func printPreview(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.EmulateViewport(680, 1000),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](allChartsDrawn, chromedp.WithPollingTimeout(chartPollTimeout))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the charts' resize animation
	dashScreenshot(t, ctx, "09-print-a4-branch-fr")
}

// A team named to break out of the chart's script block, a reference label
// with markup, and the page must run nothing of theirs: no dialog, no flag.
func TestDashboardBrowser_HostileTeamNameRunsNothing(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st, campaign, team := hostileStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	url := fmt.Sprintf("%s/dashboard/campaigns/%d/teams/%d?lang=en", base, campaign, team)
	_, charts := visit(t, ctx, w, url)
	if charts == 0 {
		t.Fatal("no chart drawn")
	}
	// Hover every drawn point so that tooltips render their texts too.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](hoverAll)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	flag, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__pwned === 1 || document.querySelector('img[src="x"]') !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if flag {
		t.Error("the hostile name ran or injected markup")
	}
	problems, _ := w.report()
	for _, p := range problems {
		t.Error(p)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#heatmap table').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, hostileName) {
		t.Errorf("the table view does not show the name as text: %q", text)
	}
	dashScreenshot(t, ctx, "08-hostile-name-en")
}

// hoverAll dispatches mouse moves over each chart so tooltips render.
const hoverAll = `(() => {
	for (const el of document.querySelectorAll('[data-chart]')) {
		const r = el.getBoundingClientRect();
		for (let x = r.left + 5; x < r.right; x += 40) {
			for (let y = r.top + 5; y < r.bottom; y += 20) {
				el.firstChild && el.firstChild.dispatchEvent(new MouseEvent('mousemove', {clientX: x, clientY: y, bubbles: true}));
			}
		}
	}
})()`

// With DIGIGAP_BENCH_DB naming a database (e.g. one that `digigap demo
// --responses 1000000` filled), the org-wide page of its first closed
// campaign is timed: page weight and time to the first chart.
func TestDashboardBrowser_OrgWidePageOnABenchDatabase(t *testing.T) {
	dsn := os.Getenv("DIGIGAP_BENCH_DB")
	if dsn == "" {
		t.Skip("DIGIGAP_BENCH_DB not set")
	}
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st, err := survey.Open(context.Background(), dsn, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, _ := st.Campaigns(context.Background())
	tree, _ := st.Tree(context.Background())
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	for _, c := range cs {
		if c.Phase(st.Today()) != survey.PhaseClosed {
			continue
		}
		start := time.Now()
		ms, charts := visit(t, ctx, w, fmt.Sprintf("%s/dashboard/campaigns/%d/teams/%d?lang=fr", base, c.ID, tree.Roots()[0]))
		problems, bytes := w.report()
		for _, p := range problems {
			t.Error(p)
		}
		t.Logf("%s: %d teams, %d charts, first chart after %.0f ms, all drawn after %s, %.0f kB transferred",
			c.Name, tree.Len(), charts, ms, time.Since(start).Round(time.Millisecond), bytes/1024)
		return
	}
	t.Fatal("no closed campaign")
}
