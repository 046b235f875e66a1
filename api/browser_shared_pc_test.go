package api_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/survey"
)

// A branch PC is shared: in one browser profile (and one tab), nothing one
// colleague answered may reach the next, through an invitation or a team
// link, and the team link's answered mark must not lock the next one out.
func TestBrowser_TwoColleaguesOnOneSharedPC(t *testing.T) {
	ctx := browser(t)
	f := newSurvey(t, survey.SQLite)
	base := serve(t, api.New(api.Deps{Store: f.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	cid := itoa64(f.campaign.ID)

	// A draft left by the earlier version, which kept them in localStorage per wave.
	mustDo(t, ctx, chromedp.Navigate(base+"/s/"), chromedp.WaitVisible(chromedp.ID("token")))
	run(t, ctx, chromedp.Evaluate[bool](`localStorage.setItem('digigap-draft-`+cid+`', JSON.stringify([["email.private","4"],["comment","Ancien brouillon"]])), true`))

	// Colleague A opens an invitation, answers part and leaves without sending.
	openForm(t, ctx, base+"/s/#t="+f.tokens[0])
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`label[for="f-sms.private-3"]`)), chromedp.Tap(chromedp.CSS(`label[for="f-email.work-2"]`)),
		chromedp.SendKeys(chromedp.ID("f-comment"), "Brouillon de A"))
	drafts := run(t, ctx, chromedp.Evaluate[string](draftsJS))
	if !strings.Contains(drafts, "Brouillon de A") {
		t.Errorf("no draft of A in this tab's session storage: %s", drafts)
	}
	for _, tok := range f.tokens {
		if strings.Contains(drafts, tok) {
			t.Errorf("a draft is keyed or filled with the clear token: %s", drafts)
		}
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.startsWith('digigap-draft-')).length`)); n != 0 {
		t.Errorf("%d drafts left in local storage, which outlives the visit", n)
	}
	screenshot(t, ctx, "shared-1-a-leaves")
	mustDo(t, ctx, chromedp.Navigate("about:blank"))

	// Colleague B opens their own invitation in the same tab: a clean form.
	openForm(t, ctx, base+"/s/#t="+f.tokens[1])
	wantCleanForm(t, ctx, "B through an invitation")
	screenshot(t, ctx, "shared-2-b-clean")
	sendOneAnswer(t, ctx)

	// A team link: A answers and sends; B takes the thank-you page's
	// "another colleague" path, C just opens the link again.
	key := f.links["A2"]
	openForm(t, ctx, base+"/s/team/"+key)
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("f-comment"), "Réponse de A"))
	sendOneAnswer(t, ctx)
	mustDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#another button`)))
	screenshot(t, ctx, "shared-3-thanks-another")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#another button`)), chromedp.WaitVisible(chromedp.CSS(`#start button`)))
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.CSS(`[data-progress]`)))
	wantCleanForm(t, ctx, "B through the team link")
	sendOneAnswer(t, ctx)

	mustDo(t, ctx, chromedp.Navigate(base+"/s/team/"+key), chromedp.WaitVisible(chromedp.CSS(`#another button`)))
	if h1 := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); h1 != "Déjà répondu depuis cet ordinateur" {
		t.Errorf("guarded page h1 = %q", h1)
	}
	screenshot(t, ctx, "shared-4-guarded")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#another button`)), chromedp.WaitVisible(chromedp.CSS(`#start button`)))
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.CSS(`[data-progress]`)))
	wantCleanForm(t, ctx, "C through the team link")
	sendOneAnswer(t, ctx)

	if got, want := f.responses(t), int64(4); got != want {
		t.Errorf("responses = %d, want %d (B's invitation and three through the team link)", got, want)
	}
	if left := run(t, ctx, chromedp.Evaluate[string](draftsJS)); left != "{}" {
		t.Errorf("drafts left after sending: %s", left)
	}
}

// Without JavaScript (a locked-down office PC) both ways still work, and
// the next colleague still gets a fresh form through the team link.
func TestBrowser_SharedPCWithoutJavaScript(t *testing.T) {
	ctx := browser(t)
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	mustDo(t, ctx, noScript)
	f := newSurvey(t, survey.SQLite)
	base := serve(t, api.New(api.Deps{Store: f.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))

	mustDo(t, ctx, chromedp.Navigate(base+"/s/"), chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), f.tokens[0]), chromedp.Tap(chromedp.CSS(`[data-token-form] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#start button`)), chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.ID("answers")))
	if run(t, ctx, chromedp.Evaluate[bool](`!document.querySelector('[data-progress]').hidden`)) {
		t.Fatal("scripts ran: the test does not check the path without JavaScript")
	}
	// Sent empty: refused next to the form, the invitation still valid.
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#answers button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("error-summary")))
	screenshot(t, ctx, "nojs-1-empty")
	sendOneAnswer(t, ctx)

	key := f.links["A2"]
	mustDo(t, ctx, chromedp.Navigate(base+"/s/team/"+key), chromedp.WaitVisible(chromedp.CSS(`#start button`)),
		chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.ID("answers")))
	sendOneAnswer(t, ctx)
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#another button`)), chromedp.WaitVisible(chromedp.CSS(`#start button`)),
		chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.ID("answers")))
	wantCleanForm(t, ctx, "the next colleague without JavaScript")
	sendOneAnswer(t, ctx)
	if got, want := f.responses(t), int64(3); got != want {
		t.Errorf("responses = %d, want %d", got, want)
	}
}

// draftsJS lists the drafts this tab keeps, as JSON.
const draftsJS = `JSON.stringify(Object.fromEntries(Object.keys(sessionStorage).filter(k => k.startsWith('digigap-draft-')).map(k => [k, sessionStorage.getItem(k)])))`

// openForm follows a personal or team link to the questionnaire, and waits
// until its script ran (it shows the progress bar after any draft restore).
func openForm(t *testing.T, ctx context.Context, link string) {
	t.Helper()
	mustDo(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#start button`)))
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.CSS(`[data-progress]`)))
}

// wantCleanForm fails unless the questionnaire shows no answer at all.
func wantCleanForm(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	js := `document.querySelectorAll('#answers input:checked').length + '/' + document.getElementById('f-comment').value`
	if got := run(t, ctx, chromedp.Evaluate[string](js)); got != "0/" {
		t.Errorf("%s sees answers already given (checked/comment = %q)", who, got)
	}
}

// sendOneAnswer answers one question and sends, up to the thank-you page.
func sendOneAnswer(t *testing.T, ctx context.Context) {
	t.Helper()
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`label[for="f-sms.private-2"]`)), chromedp.Tap(chromedp.CSS(`#answers button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-clear-drafts]`)))
}
