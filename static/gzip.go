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

// packed is one compressible asset's brotli and gzip copies, made once at
// the highest levels: styles and scripts weigh a quarter with brotli, which
// is what a branch's slow intranet link feels on a first visit.
type packed struct {
	once   sync.Once
	br, gz []byte
}

// get returns the copies of body, compressing it on the first call.
func (k *packed) get(body []byte) (br, gz []byte) {
	k.once.Do(func() {
		k.br = compress(body, func(w io.Writer) io.WriteCloser {
			return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: window(len(body))})
		})
		k.gz = compress(body, func(w io.Writer) io.WriteCloser {
			zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			return zw
		})
	})
	return k.br, k.gz
}

// window is brotli's smallest window (log2 of its size) holding n bytes:
// the same output as its default 4 MB window for files this small, with
// a small part of the memory (the default took the server from 48 to 118
// MB resident when it compressed its scripts at start-up).
func window(n int) int {
	lg := 10
	for lg < 24 && (1<<lg)-16 < n {
		lg++
	}
	return lg
}

// packs holds an entry for every compressible asset that has no copy
// compressed at build time.
var packs = packsOf(assets)

func packsOf(m map[string]asset) map[string]*packed {
	out := make(map[string]*packed)
	for p, a := range m {
		if _, pre := m[p+".br"]; !pre && compressible(a.contentType) {
			out[p] = &packed{}
		}
	}
	return out
}

// compressAll compresses the styles and scripts of packs, once, when the
// server is built (Register): at brotli's highest level one takes 10 to
// 35 ms, which the first visitor after a start waited for, four files in a
// row, before any script could run. The licence texts nobody's page loads
// are compressed when first asked for.
var compressAll = sync.OnceFunc(func() {
	for p, k := range packs {
		if !strings.HasPrefix(p, "vendor/") {
			k.get(assets[p].body)
		}
	}
})

// sendMaybeGzipped sends a's body, compressed with brotli or gzip when the
// client accepts it and the type compresses well (text, scripts, styles).
func sendMaybeGzipped(c *fiber.Ctx, path string, a asset) error {
	c.Vary(fiber.HeaderAcceptEncoding)
	if sendPrecompressed(c, path) {
		return nil
	}
	k, ok := packs[path]
	if !ok {
		return c.Send(a.body)
	}
	accepts := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case acceptsEncoding(accepts, "br"):
		br, _ := k.get(a.body)
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(br)
	case acceptsEncoding(accepts, "gzip"):
		_, gz := k.get(a.body)
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(gz)
	}
	return c.Send(a.body)
}

// compress returns body compressed by the writer newW makes.
func compress(body []byte, newW func(io.Writer) io.WriteCloser) []byte {
	var buf bytes.Buffer
	zw := newW(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	return buf.Bytes()
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
