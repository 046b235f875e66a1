package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

const echartsPath = "vendor/echarts.min.js"

func newApp(t *testing.T) *fiber.App {
	t.Helper()
	app := fiber.New()
	Register(app)
	return app
}

// do sends req to app and returns the response and its body.
func do(t *testing.T, app *fiber.App, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, string(body)
}

// wantETag computes the expected ETag independently of the package.
func wantETag(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func TestEChartsServed(t *testing.T) {
	app := newApp(t)
	resp, body := do(t, app, httptest.NewRequest(http.MethodGet, EChartsHost+"echarts.min.js", nil))

	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := resp.Header.Get("Content-Type"), "text/javascript; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("ETag"), `"`+wantETag(t, echartsPath)+`"`; got != want {
		t.Errorf("ETag = %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("Cache-Control"), "public, max-age=86400"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("X-Content-Type-Options"), "nosniff"; got != want {
		t.Errorf("X-Content-Type-Options = %q, want %q", got, want)
	}
	want, err := fs.ReadFile(FS, echartsPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(body), len(want); got != want {
		t.Errorf("body length = %d, want %d", got, want)
	}
	if got, want := strings.Contains(body, `"5.4.3"`), true; got != want {
		t.Errorf("body contains ECharts 5.4.3 version marker = %v, want %v", got, want)
	}
	// The custom build holds the series digigap draws, and not the others.
	for _, series := range []string{"bar", "line", "scatter", "heatmap"} {
		if !strings.Contains(body, `"series.`+series+`"`) {
			t.Errorf("the ECharts build lacks the %s series", series)
		}
	}
	if strings.Contains(body, `"series.pie"`) {
		t.Errorf("the ECharts build holds the pie series: not the custom build (static/vendor/_build)")
	}
}

func TestCSSContentType(t *testing.T) {
	app := newApp(t)
	resp, _ := do(t, app, httptest.NewRequest(http.MethodGet, "/static/css/app.css", nil))

	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := resp.Header.Get("Content-Type"), "text/css; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
}

func TestIfNoneMatchNotModified(t *testing.T) {
	app := newApp(t)
	first, _ := do(t, app, httptest.NewRequest(http.MethodGet, EChartsHost+"echarts.min.js", nil))
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("first response has no ETag")
	}

	for _, inm := range []string{
		etag,
		"W/" + etag,
		`"0000", ` + etag,
		"*",
	} {
		req := httptest.NewRequest(http.MethodGet, EChartsHost+"echarts.min.js", nil)
		req.Header.Set("If-None-Match", inm)
		resp, body := do(t, app, req)

		if got, want := resp.StatusCode, http.StatusNotModified; got != want {
			t.Errorf("If-None-Match %s: status = %d, want %d", inm, got, want)
		}
		if got, want := body, ""; got != want {
			t.Errorf("If-None-Match %s: body has %d bytes, want none", inm, len(got))
		}
		if got, want := resp.Header.Get("ETag"), etag; got != want {
			t.Errorf("If-None-Match %s: ETag = %q, want %q", inm, got, want)
		}
	}

	req := httptest.NewRequest(http.MethodGet, EChartsHost+"echarts.min.js", nil)
	req.Header.Set("If-None-Match", `"stale"`)
	resp, _ := do(t, app, req)
	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Errorf("stale If-None-Match: status = %d, want %d", got, want)
	}
}

func TestNotFound(t *testing.T) {
	app := newApp(t)
	for _, p := range []string{
		"/static/nope.js",
		"/static/vendor/echarts.js",
		"/static/",
		"/static",
		"/static/vendor",
		"/static/vendor/",
		"/static/css/",
		"/static/../static.go",
		"/static/static.go",
		"/static/vendor%2Fecharts.min.js",
	} {
		resp, _ := do(t, app, httptest.NewRequest(http.MethodGet, p, nil))
		if got, want := resp.StatusCode, http.StatusNotFound; got != want {
			t.Errorf("GET %s: status = %d, want %d", p, got, want)
		}
	}
}

func TestAssetURL(t *testing.T) {
	etag := wantETag(t, echartsPath)
	for _, in := range []string{echartsPath, "/" + echartsPath, "/static/" + echartsPath} {
		if got, want := AssetURL(in), "/static/"+strings.TrimSuffix(echartsPath, ".js")+"."+etag+".js"; got != want {
			t.Errorf("AssetURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := AssetURL("css/missing.css"), "/static/css/missing.css"; got != want {
		t.Errorf("AssetURL(missing) = %q, want %q", got, want)
	}
	if got, want := EChartsHost+"echarts.min.js", "/static/"+echartsPath; got != want {
		t.Errorf("EChartsHost file = %q, want %q", got, want)
	}
}

func TestVersionedURLIsImmutable(t *testing.T) {
	app := newApp(t)
	resp, _ := do(t, app, httptest.NewRequest(http.MethodGet, AssetURL("css/app.css"), nil))
	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := resp.Header.Get("Cache-Control"), "public, max-age=31536000, immutable"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}

	// An outdated ?v= must not be cached forever: the content differs.
	resp, _ = do(t, app, httptest.NewRequest(http.MethodGet, "/static/css/app.css?v=old", nil))
	if got, want := resp.Header.Get("Cache-Control"), "public, max-age=86400"; got != want {
		t.Errorf("stale ?v=: Cache-Control = %q, want %q", got, want)
	}
	// The older ?v= form of the current hash is still immutable.
	resp, _ = do(t, app, httptest.NewRequest(http.MethodGet, "/static/css/app.css?v="+wantETag(t, "css/app.css"), nil))
	if got, want := resp.Header.Get("Cache-Control"), "public, max-age=31536000, immutable"; got != want {
		t.Errorf("current ?v=: Cache-Control = %q, want %q", got, want)
	}
	// A page from before an upgrade names an older hash: today's file, for a day.
	resp, body := do(t, app, httptest.NewRequest(http.MethodGet, "/static/css/app.0123456789abcdef0123456789abcdef.css", nil))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "{") {
		t.Errorf("older hash: status %d, body %.40q", resp.StatusCode, body)
	}
	if got, want := resp.Header.Get("Cache-Control"), "public, max-age=86400"; got != want {
		t.Errorf("older hash: Cache-Control = %q, want %q", got, want)
	}
	for _, p := range []string{"/static/css/app.0123.css", "/static/css/nope.0123456789abcdef0123456789abcdef.css"} {
		if resp, _ := do(t, app, httptest.NewRequest(http.MethodGet, p, nil)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestHead(t *testing.T) {
	app := newApp(t)
	resp, body := do(t, app, httptest.NewRequest(http.MethodHead, "/static/js/app.js", nil))
	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := body, ""; got != want {
		t.Errorf("HEAD body = %q, want empty", got)
	}
	if got, want := resp.Header.Get("ETag"), `"`+wantETag(t, "js/app.js")+`"`; got != want {
		t.Errorf("ETag = %q, want %q", got, want)
	}
}

// externalRef matches markup, CSS or script that makes the browser fetch
// from another host: absolute (http:, https:) or protocol-relative (//) URLs
// in <script src>, <link href>, <img src>, <iframe src>, CSS url() and
// @import, importScripts(), fetch() and new Worker().
var externalRef = regexp.MustCompile(`(?i)(` +
	`<(script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//` +
	`|<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//` +
	`|url\(\s*["']?(https?:)?//` +
	`|@import\s+["']?(https?:)?//` +
	`|(importScripts|fetch|Worker)\(\s*["'](https?:)?//` +
	`)`)

func TestNoExternalReferences(t *testing.T) {
	n := 0
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		for _, loc := range externalRef.FindAllIndex(b, -1) {
			from, to := max(loc[0]-40, 0), min(loc[1]+60, len(b))
			t.Errorf("%s: reference to another host: %q", p, b[from:to])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n > 0, true; got != want {
		t.Errorf("embedded files scanned = %d, want some", n)
	}

	// The scanner itself must catch what it is meant to catch.
	for _, s := range []string{
		`<script src="https://cdn.example.com/x.js">`,
		`<link rel="stylesheet" href="//cdn.example.com/x.css">`,
		`background: url(http://cdn.example.com/a.png)`,
		`@import "https://fonts.example.com/f.css";`,
	} {
		if got, want := externalRef.MatchString(s), true; got != want {
			t.Errorf("externalRef.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestServe_GzipsScriptsForClientsThatAcceptIt(t *testing.T) {
	app := fiber.New()
	Register(app)
	req := httptest.NewRequest("GET", EChartsHost+"echarts.min.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Header.Get("Content-Encoding"), "gzip"; got != want {
		t.Fatalf("Content-Encoding = %q, want %q", got, want)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := plain, assets["vendor/echarts.min.js"].body; !bytes.Equal(got, want) {
		t.Errorf("unzipped %d bytes, not the %d of the file", len(got), len(want))
	}
	req = httptest.NewRequest("GET", EChartsHost+"echarts.min.js", nil)
	resp, _ = app.Test(req, -1)
	if got := resp.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("without Accept-Encoding: Content-Encoding = %q, want none", got)
	}
}

// ECharts goes out compressed at build time, brotli first: its .br copy
// must open to the very file (a stale copy would send an old library).
func TestServe_SendsBrotliCompressedAtBuildTime(t *testing.T) {
	app := fiber.New()
	Register(app)
	req := httptest.NewRequest("GET", EChartsHost+"echarts.min.js", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Header.Get("Content-Encoding"), "br"; got != want {
		t.Fatalf("Content-Encoding = %q, want %q", got, want)
	}
	plain, err := io.ReadAll(brotli.NewReader(resp.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := assets["vendor/echarts.min.js"].body; !bytes.Equal(plain, want) {
		t.Errorf("the brotli copy opens to %d bytes, not the %d of echarts.min.js: run static/vendor/_build/build.sh", len(plain), len(want))
	}
	if n := len(assets["vendor/echarts.min.js.br"].body); n > 200_000 {
		t.Errorf("ECharts weighs %d bytes compressed: more than the custom build should", n)
	}
	req.Header.Set("Accept-Encoding", "gzip, br;q=0")
	resp, _ = app.Test(req, -1)
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("br;q=0: Content-Encoding = %q, want gzip", got)
	}
}

// Styles and scripts are compressed once, by the first Register.
func TestServe_BrotliOfScriptsOpensToTheFile(t *testing.T) {
	app := fiber.New()
	Register(app)
	for _, name := range []string{"js/charts.js", "css/app.css"} {
		req := httptest.NewRequest("GET", Prefix+name, nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := resp.Header.Get("Content-Encoding"), "br"; got != want {
			t.Fatalf("%s: Content-Encoding = %q, want %q", name, got, want)
		}
		plain, err := io.ReadAll(brotli.NewReader(resp.Body))
		if err != nil {
			t.Fatal(err)
		}
		if want := assets[name].body; !bytes.Equal(plain, want) {
			t.Errorf("%s: the brotli copy opens to %d bytes, not the file's %d", name, len(plain), len(want))
		}
	}
	if _, ok := packs["vendor/echarts.min.js"]; ok {
		t.Error("ECharts, compressed at build time, is compressed again at start-up")
	}
}

// Brotli's window holds each file whole (so the output is what the
// default window gives) and no more than twice it, down to brotli's least.
func TestWindow_HoldsTheFileAndLittleMore(t *testing.T) {
	for _, n := range []int{0, 1, 1008, 1009, 20_000, 65_520, 65_521, 600_000, 20 << 20} {
		lg := window(n)
		if lg < 10 || lg > 24 || (lg < 24 && (1<<lg)-16 < n) || (lg > 10 && (1<<(lg-1))-16 >= n) {
			t.Errorf("window(%d) = %d", n, lg)
		}
	}
}
