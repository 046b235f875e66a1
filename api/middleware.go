package api

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// requestLog writes one line per request with the route pattern, never the
// raw path, query, body or client address: survey links carry tokens, and
// an address next to a submit time could name a respondent. Respondent
// routes write no line of their own: they add to the tally's counts per
// minute, so that no answer gets its time from the log.
func requestLog(log *slog.Logger, tally *respondentTally) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			if status = statusOf[toDomainError(err).Code]; status == 0 {
				status = fiber.StatusInternalServerError
			}
		}
		if respondentPath(c.Path()) {
			tally.count(c.Method(), routeOf(c), status)
			return err
		}
		log.Info("request", "method", c.Method(), "route", routeOf(c), "status", status, "ms", time.Since(start).Milliseconds())
		return err
	}
}

// dbDeadline bounds the database work of each request: handlers pass
// c.UserContext() to the store, so a database that stops answering gives
// 503 after timeout rather than a request that hangs.
func dbDeadline(timeout time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), timeout)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// routeOf is the matched route pattern (e.g. /api/v1/campaigns/:id).
func routeOf(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && len(r.Handlers) > 0 && r.Path != "" && r.Path != "/" {
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
