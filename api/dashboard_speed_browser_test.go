package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// Page budgets of issue 19. Bytes are deterministic, so they are asserted;
// times depend on the machine's load and are only printed (speed is
// measured, never asserted in a test).
const (
	firstVisitBudget = 250 << 10 // transferred on a first visit, empty cache
	chartJSONBudget  = 1 << 20   // raw chart data of one page
)

// specBytes is the UTF-8 size of every chart's data on the page.
const specBytes = `[...document.querySelectorAll('script[type="application/json"]')]
	.reduce((n, s) => n + new TextEncoder().encode(s.textContent).length, 0)`

// navTimes are when the page's HTML had arrived and when its deferred
// scripts (ECharts among them) had run, in ms since navigation started.
const navTimes = `(() => {
	const n = performance.getEntriesByType('navigation')[0];
	return [n.responseEnd, n.domContentLoadedEventEnd];
})()`

// TestDashboardBrowser_PageWeightsAndFirstChart opens the bank, a sector,
// a branch of the demo and the org-wide page of a 2,000-team group, each
// with an empty cache, and prints what the browser transferred, when the
// first chart was drawn (Performance API mark set on ECharts' 'finished')
// and the size of the chart data; then the same page again, cached.
func TestDashboardBrowser_PageWeightsAndFirstChart(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st := demoStore(t)
	pages := demoPages(t, st)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	for _, p := range []struct{ name, path string }{
		{"bank", pages[0][1]}, {"sector", pages[1][1]}, {"branch", pages[2][1]},
	} {
		measurePage(t, ctx, w, p.name, base+p.path)
	}

	big := bulkStore(t, 2000, 10_000)
	bigTree, err := big.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bigBase := serveApp(t, big)
	signInBrowser(t, ctx, big)
	cs, err := big.Campaigns(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("the large group has campaigns %v (%v), want one", cs, err)
	}
	path := fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=fr", cs[0].ID, bigTree.Roots()[0])
	// The campaign has just closed: its first reader takes its disclosure
	// decision. serve takes it within a minute of closing (cli's
	// maintainEvery), so the usual first visit is the next one, on a
	// freshly started server that reads the stored decision.
	measurePage(t, ctx, w, fmt.Sprintf("heatmap-%d-teams, the minute it closed", bigTree.Len()), bigBase+path)
	decidedBase := serveApp(t, big)
	signInBrowser(t, ctx, big)
	measurePage(t, ctx, w, fmt.Sprintf("heatmap-%d-teams", bigTree.Len()), decidedBase+path)
	visit(t, ctx, w, decidedBase+path)
	sharpWhenPrinted(t, ctx)
}

// sharpWhenPrinted checks that charts drawn at the screen's pixel ratio
// are redrawn at 2× when the browser is about to print (the browser's
// print dialog fires beforeprint; headless printing does not).
func sharpWhenPrinted(t *testing.T, ctx context.Context) {
	t.Helper()
	const ratios = `[...document.querySelectorAll('[data-chart] canvas')].map(c => c.width / c.getBoundingClientRect().width)`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](ratios))
	if err != nil || len(before) == 0 {
		t.Fatalf("canvases: %v %v", before, err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.dispatchEvent(new Event('beforeprint')), `+ratios))
	if err != nil || len(after) != len(before) {
		t.Fatalf("canvases after beforeprint: %v %v", after, err)
	}
	for i, r := range after {
		if r < 1.99 {
			t.Errorf("chart canvas %d: %.2f device pixels per CSS pixel when printing (%.2f on screen), want 2", i, r, before[i])
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('afterprint'))`)); err != nil {
		t.Fatal(err)
	}
}

// measurePage visits url in a new tab with an empty cache, then again in
// that tab with the cache. A new tab, because a tab that has drawn charts
// keeps ECharts compiled and run in its page process, and its next page
// with an empty cache drew its first chart in half the time (on the
// third machine: 360-470 ms against 1.0-1.3 s): a first visit, from a
// link in a mail or on the intranet, starts in a new page process.
func measurePage(t *testing.T, browser context.Context, w *pageWatch, name, url string) {
	t.Helper()
	ctx, closeTab := chromedp.NewContext(browser, chromedp.WithListener(w.listen))
	defer closeTab()
	clear := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCache, cdp.Empty{})
		return err
	})
	if _, err := chromedp.Run(ctx, clear); err != nil {
		t.Fatal(err)
	}
	for _, visitKind := range []string{"first visit", "cached"} {
		ms, charts := visit(t, ctx, w, url)
		problems, bytes := w.report()
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		spec, err := chromedp.Run(ctx, chromedp.Evaluate[int](specBytes))
		if err != nil {
			t.Fatal(err)
		}
		nav, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](navTimes))
		if err != nil || len(nav) != 2 {
			t.Fatalf("navigation timing: %v %v", nav, err)
		}
		t.Logf("%s, %s: %.0f kB transferred, first chart drawn %.0f ms after navigation (HTML in at %.0f ms, scripts run by %.0f ms), %d charts, chart JSON %.0f kB raw (%s)",
			name, visitKind, bytes/1024, ms, nav[0], nav[1], charts, float64(spec)/1024, w.breakdown())
		if visitKind == "first visit" && bytes > firstVisitBudget {
			t.Errorf("%s: first visit transferred %.0f kB, budget %d kB", name, bytes/1024, firstVisitBudget>>10)
		}
		if spec > chartJSONBudget {
			t.Errorf("%s: chart JSON is %d bytes, budget %d", name, spec, chartJSONBudget)
		}
		if charts == 0 {
			t.Errorf("%s: no chart", name)
		}
	}
}

// bulkStore is a large group as `digigap demo --teams N --responses R`
// makes it: one closed campaign over about teams teams.
func bulkStore(t *testing.T, teams, responses int) *survey.Store {
	t.Helper()
	st := surveytest.MustOpenDB(t)
	if _, err := demo.GenerateBulk(context.Background(), st, demo.BulkOptions{Seed: 1, Teams: teams, Responses: responses}); err != nil {
		t.Fatal(err)
	}
	return st
}
