// Package api is digigap's HTTP face: the Fiber app with its routes,
// handlers, middleware and the one error handler that turns domain errors
// into JSON errors or pages. It decodes and authorises, then hands over to
// survey (writes) and analytics (reads).
package api

import (
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/static"
	"digigap/survey"
)

// Deps is what the app needs from the rest of the program.
type Deps struct {
	Store   *survey.Store
	Logger  *slog.Logger
	Version string
	// Metrics, when nil, are created by New.
	Metrics *Metrics
	// MetricsAllowed are the networks /metrics answers; loopback when empty.
	MetricsAllowed []*net.IPNet
}

// BodyLimit caps every request body; org files are the largest input.
const BodyLimit = 8 << 20

// New builds the whole app: the one place routes are declared, used by
// serve and by every test alike.
func New(d Deps) *fiber.App {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	if len(d.MetricsAllowed) == 0 {
		d.MetricsAllowed, _ = ParseNetworks("127.0.0.0/8,::1")
	}
	if sqlDB, err := d.Store.DB().DB(); err == nil {
		d.Metrics.watchDB("write", sqlDB)
	}
	app := fiber.New(fiber.Config{
		AppName:               "digigap",
		ErrorHandler:          errorHandler(d.Logger),
		BodyLimit:             BodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		Views:                 newEngine(),
	})
	app.Use(recoverPanics(d.Logger), requestLog(d.Logger), d.Metrics.middleware, securityHeaders)
	registerHealthRoutes(app, d)
	app.Get("/metrics", d.Metrics.handler(d.MetricsAllowed))
	static.Register(app)

	v1 := app.Group("/api/v1")
	registerOpenAPIRoutes(v1)
	hr := v1.Group("", requireHR)
	(&orgHandler{store: d.Store}).register(hr)
	(&questionnaireHandler{store: d.Store}).register(hr)
	(&campaignHandler{store: d.Store}).register(hr)
	(&figuresHandler{eng: analytics.New(d.Store)}).register(hr)
	(&referenceHandler{store: d.Store}).register(hr)
	registerDashboardRoutes(app, d)
	app.Use(func(c *fiber.Ctx) error { return survey.Errorf(survey.ENOTFOUND, "no such page: %s", c.Path()) })
	return app
}
