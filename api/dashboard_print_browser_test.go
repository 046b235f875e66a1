package api_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"digigap/survey"
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
	const said = /[^.]*\b(Cliquez|Click)\b[^.]*/.exec(document.querySelector('main').innerText);
	if (said) out.push('an instruction to click on paper: ' + said[0].trim());
	const h = document.querySelector('.print-header');
	if (!h || !shown(h)) out.push('no page header (campaign, group, k, date)');
	return out;
})()`

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// groupReports are the demo's group reports in its newest closed wave: the
// bank, each sector and each branch, in French, plus the bank, a sector
// and a branch in English and the branch pages of a sector and a branch.
func groupReports(t *testing.T, st *survey.Store) [][2]string {
	t.Helper()
	ctx := context.Background()
	tree, err := st.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := demoPages(t, st)
	closed := strings.Split(strings.TrimPrefix(pages[0][1], "/dashboard/campaigns/"), "/")[0]
	var out [][2]string
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		if depth > 2 {
			return
		}
		code := tree.Team(id).Code
		out = append(out, [2]string{"report-" + code + "-fr", fmt.Sprintf("/dashboard/campaigns/%s/teams/%d?lang=fr", closed, id)})
		for _, c := range tree.Children(id) {
			walk(c, depth+1)
		}
	}
	for _, r := range tree.Roots() {
		walk(r, 0)
	}
	for _, code := range []string{"CRV", "CRV-SUD", "AG001"} {
		out = append(out, [2]string{"report-" + code + "-en", fmt.Sprintf("/dashboard/campaigns/%s/teams/%d?lang=en", closed, tree.ByCode(code).ID)})
	}
	return append(out, pages[7], pages[8])
}

// pictured are the reports whose PDF pages are kept as pictures.
var pictured = map[string]bool{"report-CRV-fr": true, "report-CRV-SUD-fr": true, "report-AG001-fr": true,
	"report-CRV-en": true, "report-CRV-SUD-en": true, "report-AG001-en": true}

// Every group report of the demo — the bank, each sector, each branch —
// prints as an A4 report: each page checked box by box under print media
// (no text past the page, no chart label covered or cut), then printed to
// PDF by Chromium (what "Print or save as PDF" does).
func TestDashboardBrowser_GroupAndBranchReportsPrintOnA4(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowserFor(t, w, 4*browserTestDeadline) // some 30 reports
	st := demoStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
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
	for _, np := range groupReports(t, st) {
		name, path := np[0], np[1]
		visit(t, ctx, w, base+path)
		problems, err := onSettledPage(ctx, chromedp.Evaluate[[]string](printProblems))
		if err != nil {
			t.Fatal(err)
		}
		texts, err := onSettledPage(ctx, chromedp.Evaluate[[]string](chartTextProblems))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(problems, texts...) {
			t.Errorf("%s printed: %s", name, p)
		}
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
		file := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if pictured[name] {
			pdfPictures(t, ctx, file, "a4-"+name)
		}
	}
}

// pdfPictures keeps the PDF's pages as PNG pictures (see savePicture):
// with pdftoppm when it is installed, else Chromium's own picture of the
// page under print media.
func pdfPictures(t *testing.T, ctx context.Context, pdf, name string) {
	t.Helper()
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		dashScreenshot(t, ctx, name)
		return
	}
	tmp := t.TempDir()
	if out, err := exec.Command(tool, "-png", "-r", "60", pdf, filepath.Join(tmp, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(tmp, "p-*.png"))
	for i, f := range files {
		png, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		savePicture(t, fmt.Sprintf("%s-p%d", name, i+1), png)
	}
}
