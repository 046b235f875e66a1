package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

// brotlied and gzipped hold each compressible asset compressed once, at
// the highest level, on first request: styles and scripts weigh a quarter
// with brotli, which is what a branch's slow intranet link feels on a
// first visit.
var brotlied, gzipped sync.Map // path → []byte

// sendMaybeGzipped sends a's body, compressed with brotli or gzip when the
// client accepts it and the type compresses well (text, scripts, styles).
func sendMaybeGzipped(c *fiber.Ctx, path string, a asset) error {
	c.Vary(fiber.HeaderAcceptEncoding)
	if sendPrecompressed(c, path) {
		return nil
	}
	accepts := c.Get(fiber.HeaderAcceptEncoding)
	if !compressible(a.contentType) {
		return c.Send(a.body)
	}
	switch {
	case acceptsEncoding(accepts, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(compressOnce(&brotlied, path, a.body, func(w io.Writer) io.WriteCloser {
			return brotli.NewWriterLevel(w, brotli.BestCompression)
		}))
	case acceptsEncoding(accepts, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(compressOnce(&gzipped, path, a.body, func(w io.Writer) io.WriteCloser {
			zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			return zw
		}))
	}
	return c.Send(a.body)
}

// compressOnce returns body compressed by the writer newW makes, from
// cache when path was compressed before.
func compressOnce(cache *sync.Map, path string, body []byte, newW func(io.Writer) io.WriteCloser) []byte {
	if b, ok := cache.Load(path); ok {
		return b.([]byte)
	}
	var buf bytes.Buffer
	zw := newW(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	b, _ := cache.LoadOrStore(path, buf.Bytes())
	return b.([]byte)
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
