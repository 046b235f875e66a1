package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/survey"
)

// browser starts Debian's Chromium at a phone's size (390 × 844, touch) in
// French, or skips the test when it is missing, unless DIGIGAP_TEST_BROWSER=1.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("DIGIGAP_TEST_BROWSER") == "1" {
			t.Fatal("DIGIGAP_TEST_BROWSER=1 but chromium is not installed")
		}
		t.Skip("chromium not found")
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTestDeadline)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "fr-FR"), chromedp.Flag("accept-lang", "fr-FR,fr"),
		chromedp.WindowSize(390, 844))
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	// Reduced motion makes the scroll to the next channel instant, so that a
	// tap never lands while the page still moves.
	calm := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), calm); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// serve runs app on a free local port until the test ends.
func serve(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// screenshot keeps one picture of a page (see savePicture).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	savePicture(t, name, png)
}

func TestBrowser_PhoneFillsTheWholeQuestionnaireInFrench(t *testing.T) {
	ctx := browser(t)
	f := newSurvey(t, survey.SQLite)
	base := serve(t, api.New(api.Deps{Store: f.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))

	mustDo(t, ctx, chromedp.Navigate(base+"/s/"), chromedp.WaitVisible(chromedp.ID("token")))
	screenshot(t, ctx, "1-landing")

	// The personal link as mailed: the script posts the token from the fragment.
	mustDo(t, ctx, chromedp.Navigate(base+"/s/#t="+f.tokens[0]), chromedp.WaitVisible(chromedp.CSS(`#start button`)))
	if lang := run(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "fr" {
		t.Errorf("page language = %q, want fr", lang)
	}
	if loc := run(t, ctx, chromedp.Location()); strings.Contains(loc, f.tokens[0]) {
		t.Errorf("the token is still in the address bar: %s", loc)
	}
	screenshot(t, ctx, "2-intro")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#start button`)), chromedp.WaitVisible(chromedp.ID("answers")))
	screenshot(t, ctx, "3-questionnaire")

	def := survey.DefaultDefinition()
	taps, start := fillEverything(t, ctx, def)
	fill := time.Since(start)
	t.Logf("filled %d items with %d taps and 1 typed comment in %v", len(def.Items()), taps, fill.Round(time.Millisecond))
	if got, want := run(t, ctx, chromedp.Evaluate[int](`document.getElementById('progress').value`)), len(def.Items()); got != want {
		t.Errorf("progress = %d, want %d", got, want)
	}
	if drafts := run(t, ctx, chromedp.Evaluate[string](draftsJS)); !strings.Contains(drafts, "Une formation aux SMS clients") {
		t.Errorf("no draft kept in this tab: %s", drafts)
	}
	fullScreenshot(t, ctx, "3-questionnaire-filled")
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#answers button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-clear-drafts]`)))
	screenshot(t, ctx, "5-thanks")
	if h1 := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); h1 != "Merci !" {
		t.Errorf("h1 = %q, want the thank-you page", h1)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`localStorage.length`)); n != 0 {
		t.Errorf("%d items left in local storage after sending", n)
	}
	if left := run(t, ctx, chromedp.Evaluate[string](draftsJS)); left != "{}" {
		t.Errorf("drafts left in this tab after sending: %s", left)
	}
	checkStored(t, f, def)
	errorAndClosedPages(t, ctx, f, base)
}

// errorAndClosedPages shows how refused answers and a closed survey look.
func errorAndClosedPages(t *testing.T, ctx context.Context, f *surveyFixture, base string) {
	mustDo(t, ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"/s/#t="+f.tokens[1]),
		chromedp.WaitVisible(chromedp.CSS(`#start button`)), chromedp.Tap(chromedp.CSS(`#start button`)),
		chromedp.WaitVisible(chromedp.ID("answers")), chromedp.Tap(chromedp.CSS(`label[for="f-sms.private-3"]`)))
	// A comment over the limit can only come from a browser that ignores maxlength.
	run(t, ctx, chromedp.Evaluate[bool](`(function(c){c.removeAttribute('maxlength'); c.value='x'.repeat(1001); return true})(document.getElementById('f-comment'))`))
	mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`#answers button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("error-summary")))
	if focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "error-summary" {
		t.Errorf("focus on %q, want the error summary", focused)
	}
	if !run(t, ctx, chromedp.Evaluate[bool](`document.getElementById('f-sms.private-3').checked`)) {
		t.Error("the answer given was lost with the error")
	}
	screenshot(t, ctx, "4-errors")
	closed := serve(t, f.at("2026-04-01"))
	mustDo(t, ctx, chromedp.Navigate(closed+"/s/team/"+f.links["A1"]), chromedp.WaitVisible(chromedp.CSS("h1")))
	if msg := run(t, ctx, chromedp.Text(chromedp.CSS("main p"))); !strings.Contains(msg, "20 mars 2026") {
		t.Errorf("closed page says %q", msg)
	}
	screenshot(t, ctx, "6-closed")
}

// fullScreenshot saves the whole page to DIGIGAP_SCREENSHOT_DIR, when set,
// for a person to look at; these tall pictures are not committed.
func fullScreenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("DIGIGAP_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
}

// fillEverything answers every item as a respondent would, with taps, and
// returns the number of taps and when filling started.
func fillEverything(t *testing.T, ctx context.Context, def *survey.Definition) (int, time.Time) {
	start := time.Now()
	taps := 0
	tap := func(id string) {
		mustDo(t, ctx, chromedp.Tap(chromedp.CSS(`label[for="`+id+`"]`)))
		taps++
		js := `(function(e){return e.type === 'textarea' ? document.activeElement === e : e.checked})(document.getElementById('` + id + `'))`
		if !run(t, ctx, chromedp.Evaluate[bool](js)) {
			t.Fatalf("tap %d on %s did not answer it", taps, id)
		}
	}
	for _, it := range def.Items() {
		switch {
		case it.Kind == survey.KindSingle && it.Role == survey.RoleFrequency && it.Context == survey.ContextWork:
			tap("f-" + it.ID + "-2")
		case it.Kind == survey.KindSingle:
			tap("f-" + it.ID + "-" + itoa64(int64(def.ItemOptions(it)[len(def.ItemOptions(it))-1].Value)))
		case it.Kind == survey.KindMulti:
			tap("f-" + it.ID + "-2")
			tap("f-" + it.ID + "-5")
		case it.Kind == survey.KindText:
			tap("f-" + it.ID)
			mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("f-"+it.ID), "Une formation aux SMS clients serait utile."))
		}
	}
	return taps, start
}

// checkStored reads the one stored response back and compares it with the taps.
func checkStored(t *testing.T, f *surveyFixture, def *survey.Definition) {
	t.Helper()
	f.mixAll(t)
	var rows []survey.Response
	f.st.DB().Find(&rows)
	if got, want := len(rows), 1; got != want {
		t.Fatalf("responses = %d, want %d", got, want)
	}
	got, err := def.DecodeAnswers(rows[0].Codes, rows[0].Comment)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(got), len(def.Items()); got != want {
		t.Errorf("stored answers = %d, want %d", got, want)
	}
	if got["email.work"] != 2 || got["email.private"] != 4 || got["comment"] != "Une formation aux SMS clients serait utile." {
		t.Errorf("stored %v", got)
	}
}

func mustDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
