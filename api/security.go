package api

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

const nonceKey = "csp-nonce"

// securityHeaders sets the headers every answer carries. Scripts run only
// from this host or with the request's nonce: no inline script without it,
// no plugin, no framing, and no Referer (survey links carry tokens).
// Forms post to this host only, and to provider (the identity provider's
// origin, or "") because the sign-out form ends at its logout page.
func securityHeaders(provider string) fiber.Handler {
	formAction := "form-action 'self'"
	if provider != "" {
		formAction += " " + provider
	}
	return func(c *fiber.Ctx) error { return setSecurityHeaders(c, formAction) }
}

func setSecurityHeaders(c *fiber.Ctx, formAction string) error {
	nonce := newNonce()
	c.Locals(nonceKey, nonce)
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; "+
		"style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "+
		"frame-ancestors 'none'; "+formAction)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawStdEncoding.EncodeToString(b)
}

// nonceOf is the CSP nonce of this request, for inline scripts (charts).
func nonceOf(c *fiber.Ctx) string {
	s, _ := c.Locals(nonceKey).(string)
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
