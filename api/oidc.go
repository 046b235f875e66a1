package api

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig turns on sign-in with the company's identity provider
// (OpenID Connect, authorization code flow with PKCE, state and nonce).
type OIDCConfig struct {
	Issuer       string   // https://login.microsoftonline.com/<tenant>/v2.0, https://kc.bank/realms/staff
	ClientID     string   // digigap's client at the provider
	ClientSecret string   // from the environment or a file, never a flag
	Scopes       []string // besides openid; default email, profile
	// EmailClaim names the claim matched against accounts (default email,
	// which must come with email_verified true; another claim, such as
	// Entra ID's upn, is the directory's own and taken as verified).
	EmailClaim string
	// GroupsClaim lists the person's groups (default groups); a person is
	// HR only if an HR account has their e-mail AND a group in HRGroups
	// (when HRGroups is empty, groups are not checked).
	GroupsClaim string
	HRGroups    []string
	// RedirectURL is the callback digigap registers at the provider:
	// <base URL>/login/oidc/callback.
	RedirectURL string
	// PostLogoutURL is where the provider sends the browser after an
	// RP-initiated logout: <base URL>/login.
	PostLogoutURL string
	// HTTPClient reaches the provider (tests, proxies); nil is the default.
	HTTPClient *http.Client
}

// relyingParty holds the provider's discovered settings, fetched at the
// first sign-in (and again after a failure), so digigap starts even when
// the provider is briefly down.
type relyingParty struct {
	cfg OIDCConfig
	now func() time.Time

	mu         sync.Mutex
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	endSession string
}

func newRelyingParty(cfg *OIDCConfig, now func() time.Time) *relyingParty {
	if cfg == nil || cfg.Issuer == "" {
		return nil
	}
	c := *cfg
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"email", "profile"}
	}
	if c.EmailClaim == "" {
		c.EmailClaim = "email"
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
	return &relyingParty{cfg: c, now: now}
}

// ctx carries the HTTP client go-oidc and oauth2 use to reach the provider.
func (rp *relyingParty) ctx(parent context.Context) context.Context {
	if rp.cfg.HTTPClient == nil {
		return parent
	}
	return oidc.ClientContext(parent, rp.cfg.HTTPClient)
}

// discover fetches the provider's metadata once. The verifier accepts only
// the signing algorithms the provider announces that go-oidc supports
// (asymmetric ones: never none, never HS256), keys from its JWKS, this
// issuer, this client as audience, and an unexpired token by our clock.
func (rp *relyingParty) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.provider != nil {
		return rp.provider, rp.verifier, nil
	}
	// go-oidc keeps only the HTTP client of this context for later key fetches.
	p, err := oidc.NewProvider(rp.ctx(ctx), rp.cfg.Issuer)
	if err != nil {
		return nil, nil, err
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, nil, err
	}
	rp.provider, rp.endSession = p, meta.EndSession
	rp.verifier = p.Verifier(&oidc.Config{ClientID: rp.cfg.ClientID, Now: rp.now})
	return rp.provider, rp.verifier, nil
}

// oauth2 is the client configuration for the code flow.
func (rp *relyingParty) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: rp.cfg.ClientID, ClientSecret: rp.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: rp.cfg.RedirectURL, Scopes: append([]string{oidc.ScopeOpenID}, rp.cfg.Scopes...)}
}

// providerOrigin is the scheme and host of the issuer, or "".
func providerOrigin(cfg *OIDCConfig) string {
	if cfg == nil {
		return ""
	}
	u, err := url.Parse(cfg.Issuer)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// endSessionURL is the provider's logout address for RP-initiated logout,
// or "" when the provider offers none. digigap keeps no ID token, so it
// names itself with client_id (OpenID Connect RP-Initiated Logout 1.0).
func (rp *relyingParty) endSessionURL(ctx context.Context) string {
	if _, _, err := rp.discover(ctx); err != nil {
		return ""
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.endSession == "" {
		return ""
	}
	u := rp.endSession + "?client_id=" + urlEscape(rp.cfg.ClientID)
	if rp.cfg.PostLogoutURL != "" {
		u += "&post_logout_redirect_uri=" + urlEscape(rp.cfg.PostLogoutURL)
	}
	return u
}
