package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/survey"
)

// chromium finds Debian's Chromium; without it the browser tests skip,
// unless DIGIGAP_TEST_BROWSER=1 (CI) makes its absence a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("DIGIGAP_TEST_BROWSER") == "1" {
		t.Fatal("chromium not found and DIGIGAP_TEST_BROWSER=1")
	}
	t.Skip("chromium not found: browser test skipped")
	return ""
}

// serveApp runs the real app on a loopback port for a browser.
func serveApp(t *testing.T, st *survey.Store) string {
	t.Helper()
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), InsecureCookies: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// pageWatch collects, for one page load, what the browser reports: any
// console error, exception, failed request, HTTP error or dialog is a
// problem; the bytes received are the page weight.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	bytes    float64
	urls     map[network.RequestID]string // what each request fetched
	encoding map[network.RequestID]string
	parts    []string // "path: N kB (encoding)", for the page weight's breakdown
}

func (w *pageWatch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			w.problems = append(w.problems, fmt.Sprintf("console %s: %s", e.Type, argsText(e.Args)))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		w.problems = append(w.problems, "exception: "+msg)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			w.problems = append(w.problems, fmt.Sprintf("browser log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *network.EventLoadingFailed:
		w.problems = append(w.problems, "request failed: "+e.ErrorText+" "+string(e.BlockedReason))
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 {
			w.problems = append(w.problems, fmt.Sprintf("HTTP %d for %s", e.Response.Status, e.Response.URL))
		}
		if w.urls == nil {
			w.urls, w.encoding = map[network.RequestID]string{}, map[network.RequestID]string{}
		}
		w.urls[e.RequestID] = e.Response.URL
		if enc, ok := e.Response.Headers["Content-Encoding"].(string); ok {
			w.encoding[e.RequestID] = enc
		} else if enc, ok := e.Response.Headers["content-encoding"].(string); ok {
			w.encoding[e.RequestID] = enc
		}
	case *network.EventLoadingFinished:
		w.bytes += e.EncodedDataLength
		u := w.urls[e.RequestID]
		if i := strings.Index(u, "://"); i >= 0 {
			u = u[i+3:]
			u = u[strings.Index(u, "/"):]
		}
		if i := strings.Index(u, "?"); i >= 0 {
			u = u[:i]
		}
		w.parts = append(w.parts, fmt.Sprintf("%s %.0f kB %s", u, e.EncodedDataLength/1024, w.encoding[e.RequestID]))
	case *cdppage.EventJavascriptDialogOpening:
		w.problems = append(w.problems, "a dialog opened: "+e.Message)
	}
}

func argsText(args []*runtime.RemoteObject) string {
	s := ""
	for _, a := range args {
		s += " " + string(a.Value) + a.Description
	}
	return s
}

// reset starts a new page: problems and weight are per page.
func (w *pageWatch) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems, w.bytes, w.parts = nil, 0, nil
}

// breakdown lists what the page weight is made of.
func (w *pageWatch) breakdown() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.parts, ", ")
}

func (w *pageWatch) report() ([]string, float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...), w.bytes
}

// newBrowser starts a headless Chromium tab that w watches.
func newBrowser(t *testing.T, w *pageWatch) context.Context {
	t.Helper()
	return newBrowserFor(t, w, browserTestDeadline)
}

// newBrowserFor is newBrowser for a test that walks many pages.
func newBrowserFor(t *testing.T, w *pageWatch, deadline time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "fr-FR"), chromedp.WindowSize(1200, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithListener(w.listen))
	ctx, cancelT := context.WithTimeout(ctx, deadline)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// allChartsDrawn is true once every chart container holds a drawing: an
// SVG or canvas with shapes, which charts.js marks with data-drawn.
const allChartsDrawn = `(() => {
	const els = [...document.querySelectorAll('[data-chart]')];
	return els.every(e => e.dataset.drawn === 'true' && e.querySelector('svg path, canvas') !== null);
})()`

const undrawnCharts = `[...document.querySelectorAll('[data-chart]')].filter(e => e.dataset.drawn !== 'true' || !e.querySelector('svg path, canvas')).map(e => e.dataset.chart)`

// firstChartMs is when the first chart finished drawing, in milliseconds
// since navigation started.
const firstChartMs = `(() => {
	const m = performance.getEntriesByName('digigap-first-chart');
	return m.length ? m[0].startTime : -1;
})()`

// visit loads url, waits for its charts and returns the time to the first
// chart (ms, -1 without charts) and the number of charts.
func visit(t *testing.T, ctx context.Context, w *pageWatch, url string) (ms float64, charts int) {
	t.Helper()
	w.reset()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if _, err := onSettledPage(ctx, chromedp.Poll[bool](allChartsDrawn, chromedp.WithPollingTimeout(chartPollTimeout))); err != nil {
		undrawn, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](undrawnCharts))
		problems, _ := w.report()
		t.Fatalf("%s: charts not drawn (%v): %v; browser reported %q", url, undrawn, err, problems)
	}
	ms, err := onSettledPage(ctx, chromedp.Evaluate[float64](firstChartMs))
	if err != nil {
		t.Fatal(err)
	}
	charts, err = onSettledPage(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart]').length`))
	if err != nil {
		t.Fatal(err)
	}
	return ms, charts
}

// onSettledPage runs a script action on the page just navigated to. On a
// loaded machine Chromium can still be swapping the page's JavaScript
// context when Navigate returns, and a script sent at that instant fails
// with "Cannot find context with specified id": it is sent again, a few
// times, to the context that replaced it. Any other error is returned.
func onSettledPage[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	var v T
	var err error
	for range 5 {
		if v, err = chromedp.Run(ctx, a); err == nil || !strings.Contains(err.Error(), "Cannot find context with specified id") {
			return v, err
		}
		// Wait for the new context to answer before the next attempt.
		_, _ = chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(5*time.Second)))
	}
	return v, err
}

// halfScale captures the whole page at half size: the committed PNGs stay
// small and still show what each chart says.
func halfScale(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	h, err := chromedp.Evaluate[float64](`document.documentElement.scrollHeight`)(ctx, t)
	if err != nil {
		return nil, err
	}
	w, err := chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)(ctx, t)
	if err != nil {
		return nil, err
	}
	r, err := cdp.Call(ctx, t, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{
		CaptureBeyondViewport: ptr(true), FromSurface: ptr(true), Format: cdppage.CaptureScreenshotFormatPng,
		Clip: &cdppage.Viewport{Width: w, Height: h, Scale: 0.5},
	})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

func ptr[T any](v T) *T { return &v }

// dashScreenshot keeps the whole page at half scale (see savePicture).
func dashScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, halfScale)
	if err != nil {
		t.Fatal(err)
	}
	savePicture(t, name, png)
	if dir := os.Getenv("DIGIGAP_SCREENSHOT_CHARTS"); dir != "" {
		chartShots(t, ctx, dir, name)
	}
}

// chartShots saves each chart card on its own, for a closer look, when
// DIGIGAP_SCREENSHOT_CHARTS names a directory.
func chartShots(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.chart-card')].map(e => e.id)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		only := `for (const e of document.querySelectorAll('main > .dashboard > *')) e.hidden = e.id !== '` + id + `'`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](only)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+id+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`for (const e of document.querySelectorAll('main > .dashboard > *')) e.hidden = false`)); err != nil {
		t.Fatal(err)
	}
}
