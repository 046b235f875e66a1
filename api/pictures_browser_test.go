package api_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// The demo's bank, a sector and a branch, in French and English, as a
// laptop (1366 × 768) and a phone (390 × 844) show them: the first screen,
// and on the phone the heatmap and the dumbbell as they are laid out
// there (the A4 pages come from the print test). Pictures go where
// savePicture says: committed only with -update.
func TestDashboardBrowser_PicturesOfBankSectorAndBranch(t *testing.T) {
	w := &pageWatch{}
	ctx := newBrowserFor(t, w, 2*browserTestDeadline)
	st := demoStore(t)
	base := serveApp(t, st)
	signInBrowser(t, ctx, st)
	tree, err := st.Tree(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	closed := demoPages(t, st)[0][1] // the bank's page in the newest closed wave
	var camp int64
	if _, err := fmt.Sscanf(closed, "/dashboard/campaigns/%d/", &camp); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{
		{"laptop", 1366, 768, nil},
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch}},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h, size.opts...)); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"CRV", "CRV-SUD", "AG001"} {
			for _, lang := range []string{"fr", "en"} {
				name := fmt.Sprintf("50-%s-%s-%s", size.name, code, lang)
				visit(t, ctx, w, fmt.Sprintf("%s/dashboard/campaigns/%d/teams/%d?lang=%s", base, camp, tree.ByCode(code).ID, lang))
				savePicture(t, name, run(t, ctx, chromedp.CaptureScreenshot()))
				if size.name != "phone" {
					continue
				}
				for _, id := range []string{"heatmap", "channels"} {
					sel := "#" + id + " .chart"
					if !run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('`+sel+`') !== null`)) {
						continue // nothing to draw for this group: its table says so
					}
					savePicture(t, name+"-"+id, run(t, ctx, chromedp.Screenshot(chromedp.CSS("#"+id+" .chart"))))
				}
			}
		}
	}
}
