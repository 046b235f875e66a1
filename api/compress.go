package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"digigap/static"
)

// compressAnswers compresses what the server writes on the fly — dashboard
// pages with their inline chart data, API JSON — with brotli when the
// browser accepts it, else gzip (levels 4 and 6: a few milliseconds for a
// 200 kB page, which then weighs about a tenth). A dashboard's first
// visit is mostly its HTML once ECharts is cached.
//
// Answers that compressing could betray are left as they are (BREACH: a
// secret such as the CSRF token next to text an attacker chooses, length
// watched over many requests). Such requests come from another site's
// page, so only requests the browser marks as the site's own
// (Sec-Fetch-Site same-origin, or none for a typed address or bookmark),
// or without any cookie (API clients with a bearer token), are
// compressed. Respondent pages, which hold invitation tokens, never are;
// static files come compressed at build time (static.Register).
func compressAnswers() fiber.Handler {
	return compress.New(compress.Config{Level: compress.LevelDefault, Next: keepUncompressed})
}

// keepUncompressed reports whether c's answer must stay as written.
func keepUncompressed(c *fiber.Ctx) bool {
	if m := c.Method(); m != fiber.MethodGet && m != fiber.MethodHead {
		return true
	}
	if p := c.Path(); strings.HasPrefix(p, static.Prefix) || respondentPath(p) {
		return true
	}
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
		return c.Get(fiber.HeaderCookie) != ""
	}
	return true
}
