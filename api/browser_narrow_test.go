package api_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/survey"
)

// narrowProblems lists what makes a page hard to read on a narrow phone:
// a page wider than the screen (sideways scrolling) and a word broken
// across two lines (each word's text range must stay on one line).
const narrowProblems = `(() => {
	const out = [], de = document.documentElement;
	if (de.scrollWidth > de.clientWidth) {
		const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > de.clientWidth && e.children.length === 0);
		out.push('page ' + de.scrollWidth + ' px wide on a ' + de.clientWidth + ' px screen, past its edge: ' +
			wide.slice(0, 3).map(e => e.tagName + '.' + e.className + ' "' + (e.textContent || '').trim().slice(0, 30) + '"').join(', '));
	}
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const p = n.parentElement;
		if (!p || p.closest('script, style, code, [hidden]') || p.getClientRects().length === 0) continue;
		const re = /\S+/g;
		for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
			const r = document.createRange();
			r.setStart(n, m.index);
			r.setEnd(n, m.index + m[0].length);
			const lines = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
			if (lines.size > 1 && !/[-/–—]/.test(m[0])) out.push('word broken across lines: ' + m[0]);
		}
	}
	return out;
})()`

// Respondent pages at 320 px, the narrowest phones still sold: no sideways
// scrolling, no word cut in two.
func TestBrowser_RespondentPagesFitA320PixelPhone(t *testing.T) {
	ctx := browser(t)
	f := newSurvey(t, survey.SQLite)
	base := serve(t, api.New(api.Deps{Store: f.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	mustDo(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulateTouch))
	check := func(name string) {
		t.Helper()
		for _, p := range run(t, ctx, chromedp.Evaluate[[]string](narrowProblems)) {
			t.Errorf("%s at 320 px: %s", name, p)
		}
	}
	mustDo(t, ctx, chromedp.Navigate(base+"/s/"), chromedp.WaitVisible(chromedp.ID("token")))
	check("landing")
	mustDo(t, ctx, chromedp.Navigate(base+"/s/#t="+f.tokens[0]), chromedp.WaitVisible(chromedp.CSS(`#start button`)))
	check("introduction")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.ID("answers")))
	check("questionnaire")
	screenshot(t, ctx, "7-questionnaire-320px")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#answers button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("error-summary")))
	check("questionnaire with errors")
	mustDo(t, ctx, chromedp.Navigate(base+"/s/team/"+f.links["A1"]), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("team link")
}
