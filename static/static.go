// Package static holds everything the browser loads — respondent and
// dashboard styles, small scripts and the vendored ECharts library — embedded
// in the binary so pages work on an intranet with no internet access.
//
// Files are served under the /static/ prefix by [Register]. Each file gets a
// strong ETag computed once, at start-up, from its content; templates should
// link assets through [AssetURL] so that the URL changes whenever the content
// does and the browser may cache it for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// FS holds the embedded assets, rooted so that paths look like
// "vendor/echarts.min.js", "css/app.css" and "js/app.js".
//
//go:embed vendor css js
var FS embed.FS

// Prefix is the URL path under which [Register] serves [FS].
const Prefix = "/static/"

// EChartsHost is the URL directory holding echarts.min.js, to be used as
// go-echarts' AssetsHost (opts.Initialization.AssetsHost or
// components.Page.AssetsHost) so charts never load the library from a CDN.
const EChartsHost = Prefix + "vendor/"

const (
	// cacheRevalidate applies to plain URLs: cache for a day, then
	// revalidate cheaply with If-None-Match.
	cacheRevalidate = "public, max-age=86400"
	// cacheImmutable applies to URLs whose ?v= matches the current content.
	cacheImmutable = "public, max-age=31536000, immutable"
)

// asset is one embedded file, ready to be served.
type asset struct {
	body        []byte
	etag        string // hex, without quotes; the ETag header is `"` + etag + `"`
	contentType string
}

// assets maps a slash-separated path relative to FS (no leading slash) to
// its file. Directories are deliberately absent, so they are never listed.
var assets = mustLoad(FS)

func mustLoad(fsys fs.FS) map[string]asset {
	m := make(map[string]asset)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m[p] = asset{body: body, etag: etagOf(body), contentType: contentTypeOf(p)}
		return nil
	})
	if err != nil {
		// The FS is embedded at build time, so this cannot happen at run time.
		panic("static: reading embedded files: " + err.Error())
	}
	return m
}

// etagOf returns the first 16 bytes of the content's SHA-256, in hex.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// contentTypes pins the types we rely on rather than trusting the host's
// mime.types, which differs between machines.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".ico":   "image/vnd.microsoft.icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	"":       "text/plain; charset=utf-8", // LICENSE, NOTICE
}

func contentTypeOf(p string) string {
	ext := strings.ToLower(path.Ext(p))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Register serves the embedded files at /static/<path> on r (GET and HEAD).
// Mount it on the root router: [AssetURL] and [EChartsHost] assume the
// /static/ prefix is at the root of the site.
//
// Responses carry a strong ETag, honour If-None-Match with 304 Not Modified,
// send X-Content-Type-Options: nosniff and a Cache-Control that becomes
// immutable for a year when the request's ?v= matches the ETag. Unknown
// paths and directories get fiber.ErrNotFound, so the app's error handler
// renders them.
//
// The first Register compresses the styles and scripts (some 90 ms), so
// that neither the first page after a start nor the server's first
// answers, which background work would slow down, wait for it.
func Register(r fiber.Router) {
	compressAll()
	r.Get(Prefix+"*", serve)
}

func serve(c *fiber.Ctx) error {
	name, hash := unhashed(c.Params("*"))
	a, ok := assets[name]
	if !ok {
		return fiber.ErrNotFound
	}

	c.Set(fiber.HeaderETag, `"`+a.etag+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if hash == a.etag || c.Query("v") == a.etag {
		c.Set(fiber.HeaderCacheControl, cacheImmutable)
	} else {
		c.Set(fiber.HeaderCacheControl, cacheRevalidate)
	}

	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), a.etag) {
		c.Status(fiber.StatusNotModified)
		return nil
	}

	c.Set(fiber.HeaderContentType, a.contentType)
	return sendMaybeGzipped(c, name, a)
}

// etagMatches reports whether an If-None-Match header value names etag.
// As RFC 9110 §13.1.2 requires for If-None-Match, the comparison is weak:
// W/"x" matches "x". "*" matches any existing file.
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		tag = strings.TrimPrefix(tag, "W/")
		if tag == `"`+etag+`"` {
			return true
		}
	}
	return false
}

// AssetURL returns the cache-busting URL of an embedded file, for templates:
// its content hash in its name, AssetURL("css/app.css") is
// "/static/css/app.<etag>.css", which is cached for a year (a name with a
// query string is not cached by every proxy). A leading slash or "static/"
// prefix in p is tolerated. For a path that is not embedded it returns the
// plain URL, which will 404 — visible in testing rather than a panic while
// rendering a page. The older form, "?v=<etag>", is still served.
func AssetURL(p string) string {
	p = strings.TrimPrefix(strings.TrimLeft(p, "/"), "static/")
	if a, ok := assets[p]; ok {
		ext := path.Ext(p)
		return Prefix + strings.TrimSuffix(p, ext) + "." + a.etag + ext
	}
	return Prefix + p
}

// unhashed splits a hashed name, "css/app.<32 hex>.css", into the file's
// path and the hash; another name comes back whole, with no hash. A hash
// that is not the current one still names the file: a page cached from
// before an upgrade gets today's copy, cached for a day only.
func unhashed(p string) (name, hash string) {
	if _, ok := assets[p]; ok {
		return p, ""
	}
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	dot := strings.LastIndexByte(stem, '.')
	if dot < 0 || len(stem)-dot-1 != 32 || strings.Trim(stem[dot+1:], hexDigits) != "" {
		return p, ""
	}
	return stem[:dot] + ext, stem[dot+1:]
}

const hexDigits = "0123456789abcdef"
