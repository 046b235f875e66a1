// Package api is digigap's HTTP face: the Fiber app with its routes,
// handlers, middleware and the one error handler that turns domain errors
// into JSON errors or pages. It decodes and authorises, then hands over to
// survey (writes) and analytics (reads).
package api

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/static"
	"digigap/survey"
)

// Deps is what the app needs from the rest of the program.
type Deps struct {
	Store    *survey.Store
	Accounts *auth.Service // nil: accounts over Store
	Logger   *slog.Logger
	Version  string
	// InsecureCookies drops the Secure attribute and the __Host- prefix of
	// the cookies, for plain http on a developer's machine only.
	InsecureCookies bool
	// TrustedProxies lists the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies []string
}

// BodyLimit caps every request body; org files are the largest input.
const BodyLimit = 8 << 20

// New builds the whole app: the one place routes are declared, used by
// serve and by every test alike.
func New(d Deps) *fiber.App {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	app := fiber.New(fiber.Config{
		AppName:      "digigap",
		ErrorHandler: errorHandler(d.Logger),
		BodyLimit:    BodyLimit,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		// X-Forwarded-* are believed only from the configured proxies
		// (Protocol() for HSTS and Secure checks, Hostname(), IP()).
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
		Views:                   newEngine(),
	})
	app.Use(recoverPanics(d.Logger), requestLog(d.Logger), securityHeaders)
	sec := newSecurity(d)
	r := sec.groups(app)
	registerHealthRoutes(r.Public, d)
	static.Register(r.Public)
	registerOpenAPIRoutes(r.PublicAPI)
	(&loginHandler{sec: sec, store: d.Store}).register(r)
	(&accountHandler{sec: sec, store: d.Store}).register(r)
	(&userHandler{accounts: sec.accounts}).register(r)
	(&tokenHandler{accounts: sec.accounts}).register(r)
	(&auditHandler{store: d.Store}).register(r)
	(&orgHandler{store: d.Store}).register(r)
	(&questionnaireHandler{store: d.Store}).register(r)
	(&campaignHandler{store: d.Store}).register(r)
	app.Use(func(c *fiber.Ctx) error { return survey.Errorf(survey.ENOTFOUND, "no such page: %s", c.Path()) })
	return app
}

// groups builds the route groups of routes.go on app.
func (s *security) groups(app *fiber.App) *routes {
	v1 := app.Group("/api/v1")
	api := guard(v1, s.identify, requireAPIUser, sameOrigin, s.csrf)
	pages := guard(app, s.identify, requirePageUser, sameOrigin, s.csrf)
	return &routes{
		Public:    guard(app),
		PublicAPI: guard(v1),
		Login:     guard(app, s.identify, sameOrigin, s.csrf),
		Pages:     pages,
		HRPages:   pages.Group("", requireHR),
		API:       api,
		HRAPI:     api.Group("", requireHR),
	}
}
