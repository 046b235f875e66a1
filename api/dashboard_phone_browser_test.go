package api_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// Each dashboard page of the demo reads on a 390 px phone: no sideways
// scrolling of the page (wide tables scroll inside their own box), no word
// cut in two.
func TestDashboardBrowser_PagesFitA390PixelPhone(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowser(t, w)
	st := demoStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	for _, np := range demoPages(t, st) {
		visit(t, ctx, w, base+np[1])
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](narrowProblems))
		if err != nil {
			t.Fatal(err)
		}
		texts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](chartTextProblems))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(problems, texts...) {
			t.Errorf("%s at 390 px: %s", np[0], p)
		}
		dashScreenshot(t, ctx, "30-phone-"+np[0])
	}
}
