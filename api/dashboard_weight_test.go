package api_test

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"testing"
)

// assetLinks finds the styles and scripts a page loads.
var assetLinks = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// The bytes a browser fetches on a first visit to the bank's page — the
// page, then each style and script it links, with brotli — stay within
// the 250 kB budget, and every asset is named by its hash and cached for
// a year. The browser test (PageWeightsAndFirstChart) measures the same in
// Chromium; this one runs everywhere.
func TestDashboard_FirstVisitWeighsAtMost250kB(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	tree, _ := st.Tree(context.Background())
	closed := closedWaves(t, st)
	page := fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=fr", closed[0], tree.Roots()[0])
	resp := doGet(t, app, page, "none", "Accept-Encoding", "gzip, deflate, br", "Accept", "text/html")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("page: status %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	html, _ := io.ReadAll(brotliReader(body))
	total := len(body)
	links := assetLinks.FindAllStringSubmatch(string(html), -1)
	if len(links) < 4 {
		t.Fatalf("the page links %d assets, want styles, ECharts and scripts", len(links))
	}
	for _, m := range links {
		r := doGet(t, app, m[1], "same-origin", "Accept-Encoding", "gzip, deflate, br")
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode != 200 {
			t.Fatalf("%s: status %d", m[1], r.StatusCode)
		}
		if got, want := r.Header.Get("Cache-Control"), "public, max-age=31536000, immutable"; got != want {
			t.Errorf("%s: Cache-Control %q, want %q", m[1], got, want)
		}
		t.Logf("%s: %d bytes (%s)", m[1], len(b), r.Header.Get("Content-Encoding"))
		total += len(b)
	}
	t.Logf("first visit: page %d bytes (%d raw), %d in all", len(body), len(html), total)
	if total > firstVisitBudget {
		t.Errorf("first visit weighs %d bytes, budget %d", total, firstVisitBudget)
	}
}
