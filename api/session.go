package api

import (
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/session"

	"digigap/auth"
	"digigap/survey"
)

// cookieNames are the names of the session and CSRF cookies. Over HTTPS
// they carry the __Host- prefix, which browsers accept only from a secure
// origin, with Path=/ and no Domain: no sibling site can set them.
type cookieNames struct {
	session, csrf string
	secure        bool
}

func newCookieNames(insecure bool) cookieNames {
	if insecure {
		return cookieNames{session: "digigap_session", csrf: "digigap_csrf"}
	}
	return cookieNames{session: "__Host-digigap_session", csrf: "__Host-digigap_csrf", secure: true}
}

// security holds what the access checks need: accounts, cookie names, the
// CSRF middleware and the trusted proxies.
type security struct {
	accounts *auth.Service
	cookies  cookieNames
	csrf     fiber.Handler
	proxies  *proxyList
	// sessions reads and writes the data of the caller's server session:
	// the CSRF token, and before sign-in the OIDC state, nonce and PKCE
	// verifier or the account waiting for its second factor.
	sessions *session.Store
	// rp is the identity provider's relying party, nil without OIDC.
	rp *relyingParty
	// localSignIn shows the password form; requireTOTPForHR makes HR
	// accounts that sign in with a password use a second factor.
	localSignIn, requireTOTPForHR bool
	log                           *slog.Logger
}

func newSecurity(d Deps) *security {
	s := &security{accounts: d.Accounts, cookies: newCookieNames(d.InsecureCookies), proxies: newProxyList(d.TrustedProxies)}
	if s.accounts == nil {
		s.accounts = auth.New(d.Store)
	}
	// Fiber's session store over our sessions table keeps each session's CSRF token.
	store := session.New(session.Config{
		Storage:           s.accounts.SessionStorage(),
		KeyLookup:         "cookie:" + s.cookies.session,
		KeyGenerator:      auth.NewSessionID,
		Expiration:        auth.AbsoluteTimeout,
		CookiePath:        "/",
		CookieSecure:      s.cookies.secure,
		CookieHTTPOnly:    true,
		CookieSameSite:    fiber.CookieSameSiteLaxMode,
		CookieSessionOnly: true,
	})
	s.sessions = store
	s.log = d.Logger
	s.rp = newRelyingParty(d.OIDC, d.Store.Now)
	s.localSignIn = !d.NoLocalSignIn || s.rp == nil
	s.requireTOTPForHR = d.RequireTOTPForHR
	s.csrf = csrf.New(csrf.Config{
		Next:              viaToken,
		Session:           store,
		SessionKey:        "csrf",
		CookieName:        s.cookies.csrf,
		CookiePath:        "/",
		CookieSecure:      s.cookies.secure,
		CookieHTTPOnly:    true,
		CookieSameSite:    fiber.CookieSameSiteLaxMode,
		CookieSessionOnly: true,
		Expiration:        auth.AbsoluteTimeout,
		ContextKey:        csrfKey,
		Extractor:         csrfFromRequest,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return survey.Errorf(survey.EFORBIDDEN, "this form has expired or did not come from this site: reload the page and try again")
		},
	})
	return s
}

// setSessionCookie hands the browser a new session id after sign-in.
func (s *security) setSessionCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: s.cookies.session, Value: id, Path: "/", Secure: s.cookies.secure,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, SessionOnly: true})
}

// clearSessionCookie removes the session cookie from the browser.
func (s *security) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: s.cookies.session, Value: "", Path: "/", Secure: s.cookies.secure,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(1, 0), MaxAge: -1})
}

// csrfKey holds the request's CSRF token, for forms and /api/v1/me.
const csrfKey = "csrf-token"

// csrfHeader carries the token on API calls; forms send the field _csrf.
const csrfHeader = "X-CSRF-Token"

func csrfToken(c *fiber.Ctx) string {
	s, _ := c.Locals(csrfKey).(string)
	return s
}

// csrfFromRequest reads the token from the header, or from the body of a
// form, never from the query string (URLs end up in logs and histories).
func csrfFromRequest(c *fiber.Ctx) (string, error) {
	if v := c.Get(csrfHeader); v != "" {
		return v, nil
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		return string(c.Request().PostArgs().Peek("_csrf")), nil
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if f, err := c.MultipartForm(); err == nil && len(f.Value["_csrf"]) > 0 {
			return f.Value["_csrf"][0], nil
		}
	}
	return "", csrf.ErrTokenNotFound
}

// proxyList is the set of reverse proxies whose X-Forwarded-* headers are believed.
type proxyList struct{ nets []*net.IPNet }

func newProxyList(entries []string) *proxyList {
	p := &proxyList{}
	for _, e := range entries {
		if !strings.Contains(e, "/") {
			if ip := net.ParseIP(e); ip != nil && ip.To4() != nil {
				e += "/32"
			} else {
				e += "/128"
			}
		}
		if _, n, err := net.ParseCIDR(e); err == nil {
			p.nets = append(p.nets, n)
		}
	}
	return p
}

func (p *proxyList) trusts(ip net.IP) bool {
	for _, n := range p.nets {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// clientAddr is the address throttling counts: the TCP peer, or, when the
// peer is a trusted proxy, the right-most X-Forwarded-For entry that is not
// itself a trusted proxy (entries to its left are the client's to invent).
func (s *security) clientAddr(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP()
	if !s.proxies.trusts(peer) {
		return peer.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(hops[i]))
		if ip == nil {
			break
		}
		if !s.proxies.trusts(ip) {
			return ip.String()
		}
	}
	return peer.String()
}
