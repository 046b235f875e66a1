package static

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// gzipped holds each compressible asset gzipped once, on first request:
// the vendored ECharts shrinks from about 1 MB to about a third, which is
// what a branch's slow intranet link feels on a first visit.
var gzipped sync.Map // path → []byte

// sendMaybeGzipped sends a's body, gzipped when the client accepts it and
// the type compresses well (text, scripts, styles).
func sendMaybeGzipped(c *fiber.Ctx, path string, a asset) error {
	c.Vary(fiber.HeaderAcceptEncoding)
	if sendPrecompressed(c, path) {
		return nil
	}
	if !compressible(a.contentType) || !strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		return c.Send(a.body)
	}
	body, ok := gzipped.Load(path)
	if !ok {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		body, _ = gzipped.LoadOrStore(path, buf.Bytes())
	}
	c.Set(fiber.HeaderContentEncoding, "gzip")
	return c.Send(body.([]byte))
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "javascript") || strings.Contains(contentType, "json")
}

// sendPrecompressed sends path's copy compressed at build time (the
// vendored ECharts: path.br, path.gz beside it, see static/vendor/_build),
// brotli first, when the client accepts it. It reports whether it did.
func sendPrecompressed(c *fiber.Ctx, path string) bool {
	accepts := c.Get(fiber.HeaderAcceptEncoding)
	for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		pre, ok := assets[path+enc.ext]
		if !ok || !acceptsEncoding(accepts, enc.name) {
			continue
		}
		c.Set(fiber.HeaderContentEncoding, enc.name)
		_ = c.Send(pre.body)
		return true
	}
	return false
}

// acceptsEncoding tells whether an Accept-Encoding header lists name
// (without q=0).
func acceptsEncoding(header, name string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		if strings.TrimSpace(fields[0]) != name {
			continue
		}
		return len(fields) < 2 || strings.ReplaceAll(strings.TrimSpace(fields[1]), " ", "") != "q=0"
	}
	return false
}
