package api_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// printProblems lists, under print media at the A4 text width, what would
// spoil a printed report: a box outside the page, text overflowing its box,
// a form or button on paper, a table row allowed to split across pages, a
// missing page header.
const printProblems = `(() => {
	const out = [], W = document.documentElement.clientWidth;
	const shown = e => getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0;
	const name = e => e.tagName + ' "' + (e.textContent || '').trim().slice(0, 40) + '"';
	for (const e of document.querySelectorAll('main *')) {
		if (!shown(e)) continue;
		const r = e.getBoundingClientRect();
		if (r.right > W + 1 || r.left < -1) out.push('outside the page: ' + name(e));
		const block = getComputedStyle(e).display !== 'inline';
		if (block && /^(P|TD|TH|H1|H2|H3|LI|CAPTION|DIV|TABLE)$/.test(e.tagName) && e.scrollWidth > e.clientWidth + 1) out.push('text overflows its box: ' + name(e));
	}
	for (const e of document.querySelectorAll('main form, main button, main input, main select, .print-hint, .chart-actions')) {
		if (shown(e)) out.push('on paper: ' + name(e));
	}
	for (const tr of document.querySelectorAll('main tr')) {
		if (shown(tr) && getComputedStyle(tr).breakInside !== 'avoid') out.push('a row may split across pages: ' + name(tr));
	}
	const h = document.querySelector('.print-header');
	if (!h || !shown(h)) out.push('no page header (campaign, group, k, date)');
	return out;
})()`

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// The demo's bank, a sector and a branch print as A4 reports: each page
// checked box by box under print media, then printed to PDF by Chromium
// (what "Print or save as PDF" does), in French and English.
func TestDashboardBrowser_GroupAndBranchReportsPrintOnA4(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st := demoStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	pages := demoPages(t, st)
	reports := [][2]string{pages[0], pages[1], pages[2], pages[7], pages[8]} // bank, sector, branch; branch pages
	// 680 px is 180 mm, the A4 text width between 15 mm margins.
	err := chromedp.Do(ctx, chromedp.EmulateViewport(680, 1000),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "artifacts", "print")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, np := range reports {
		name, path := np[0], np[1]
		visit(t, ctx, w, base+path)
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](printProblems))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s printed: %s", name, p)
		}
		dashScreenshot(t, ctx, "20-print-"+name)
		start := time.Now()
		var pdf []byte
		err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			res, err := cdp.Call(ctx, t, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
			pdf = res.Data
			return err
		}))
		if err != nil {
			t.Fatalf("%s: print to PDF: %v", name, err)
		}
		n := len(pdfPage.FindAll(pdf, -1))
		if n == 0 {
			t.Errorf("%s: the PDF has no page", name)
		}
		t.Logf("%s: %d A4 pages, %.0f kB, printed in %v", name, n, float64(len(pdf))/1024, time.Since(start).Round(time.Millisecond))
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
