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
