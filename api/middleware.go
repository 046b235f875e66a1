package api

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// requestLog writes one line per request with the route pattern, never the
// raw path, query, body or client address: survey links carry tokens, and
// an address next to a submit time could name a respondent.
func requestLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = statusOf[toDomainError(err).Code]
		}
		log.Info("request", "method", c.Method(), "route", routeOf(c), "status", status, "ms", time.Since(start).Milliseconds())
		return err
	}
}

// routeOf is the matched route pattern (e.g. /api/v1/campaigns/:id).
func routeOf(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" && r.Path != "/" {
		return r.Path
	}
	return "(unmatched)"
}

// wantsHTML tells page requests from API calls, for the error handler.
func wantsHTML(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Path(), "/api/") || c.Path() == "/healthz" || c.Path() == "/readyz" {
		return false
	}
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

// scopeKey holds the caller's survey.Scope in the request's locals.
const scopeKey = "scope"

// callerScope is the one place handlers learn what the caller may see;
// a request without a scope sees nothing.
func callerScope(c *fiber.Ctx) survey.Scope {
	if s, ok := c.Locals(scopeKey).(survey.Scope); ok {
		return s
	}
	return survey.Scope{}
}

// requireHR guards the HR routes. Accounts and sessions are not built yet
// (issue #6), so every caller is treated as HR: run digigap only on a
// trusted network until then.
func requireHR(c *fiber.Ctx) error {
	c.Locals(scopeKey, survey.FullScope())
	return c.Next()
}
