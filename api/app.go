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
	"digigap/auth"
	"digigap/mailer"
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
	// Metrics, when nil, are created by New.
	Metrics *Metrics
	// MetricsAllowed are the networks /metrics answers; loopback when empty.
	MetricsAllowed []*net.IPNet
	// BaseURL is the public address respondents reach (https://host), used
	// in invitation and team links; empty means the address of each request.
	BaseURL string
	// Mail sends invitations and reminders by e-mail; nil when no relay
	// is configured (HR downloads the CSV of links instead).
	Mail *mailer.Sender
	// TeamLinkRate is how many answers each team link takes a minute on
	// this instance (0: DefaultTeamLinkRate).
	TeamLinkRate int
	// OIDC, when set, adds sign-in with the company's identity provider.
	OIDC *OIDCConfig
	// NoLocalSignIn hides the password form and refuses passwords, when
	// OIDC is set (staff then sign in through the provider only).
	NoLocalSignIn bool
	// RequireTOTPForHR makes HR accounts signing in with a password enrol
	// and use a TOTP second factor (serve turns it on by default).
	RequireTOTPForHR bool
	// ReadTimeout is how long a client may take to send a whole request
	// (30 s when zero); a slower or idle one gets 408.
	ReadTimeout time.Duration
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
	if d.ReadTimeout <= 0 {
		d.ReadTimeout = 30 * time.Second
	}
	if sqlDB, err := d.Store.DB().DB(); err == nil {
		d.Metrics.watchDB("write", sqlDB)
	}
	app := fiber.New(fiber.Config{
		AppName:      "digigap",
		ErrorHandler: errorHandler(d.Logger),
		BodyLimit:    BodyLimit,
		// Heads up to headBuffer are read, so guardHead can tell a long
		// address (414) from big headers (431) under its own limits.
		ReadBufferSize: headBuffer,
		ReadTimeout:    d.ReadTimeout,
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		// X-Forwarded-* are believed only from the configured proxies
		// (Protocol() for HSTS and Secure checks, Hostname(), IP()).
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
		Views:                   newEngine(),
	})
	tally := newRespondentTally(d.Logger)
	app.Hooks().OnShutdown(tally.close)
	app.Use(recoverPanics(d.Logger), requestLog(d.Logger, tally), d.Metrics.middleware, securityHeaders(providerOrigin(d.OIDC)), requireUTF8, dbDeadline(d.Store.Timeout()), compressAnswers())
	sec := newSecurity(d)
	r := sec.groups(app)
	registerHealthRoutes(r.Public, d)
	r.Public.Get("/metrics", sec.identify, d.Metrics.handler(d.MetricsAllowed, sec.clientAddr))
	static.Register(r.Public)
	registerOpenAPIRoutes(r.PublicAPI)
	registerRespondentRoutes(r, d)
	(&loginHandler{sec: sec, store: d.Store}).register(r)
	(&ssoHandler{sec: sec}).register(r)
	(&secondFactorHandler{sec: sec}).register(r)
	(&accountHandler{sec: sec, store: d.Store}).register(r)
	(&passwordLinkHandler{sec: sec}).register(r)
	(&userHandler{accounts: sec.accounts}).register(r)
	(&tokenHandler{accounts: sec.accounts}).register(r)
	(&auditHandler{store: d.Store}).register(r)
	(&orgHandler{store: d.Store, managers: sec.accounts.OrgManagers()}).register(r)
	(&questionnaireHandler{store: d.Store}).register(r)
	(&campaignHandler{store: d.Store}).register(r)
	inv := &invitationHandler{store: d.Store, baseURL: d.BaseURL}
	inv.register(r)
	eng := analytics.New(d.Store)
	(&consoleHandler{store: d.Store, accounts: sec.accounts, links: inv, eng: eng, mail: d.Mail}).register(r)
	(&figuresHandler{eng: eng, store: d.Store}).register(r)
	(&actionHandler{eng: eng, store: d.Store}).register(r)
	(&referenceHandler{store: d.Store}).register(r)
	(&coverageHandler{store: d.Store}).register(r)
	registerDashboardRoutes(r, d)
	app.Use(func(c *fiber.Ctx) error { return survey.Errorf(survey.ENOTFOUND, "no such page: %s", c.Path()) })
	guardHead(app)
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
