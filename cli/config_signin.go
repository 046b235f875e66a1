package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"digigap/api"
)

// signInConfig is how staff sign in: the company's identity provider
// (OpenID Connect), local passwords, and the second factor of HR.
type signInConfig struct {
	Issuer, ClientID, SecretFile string
	Scopes, EmailClaim           string
	GroupsClaim, HRGroups        string
	Local, HRSecondFactor        bool
}

// secretEnv holds the client secret: a secret never goes on a command
// line (other users of the machine see it in the process list).
const secretEnv = EnvPrefix + "OIDC_CLIENT_SECRET"

func signInFlags(fs *flag.FlagSet, c *signInConfig) {
	fs.StringVar(&c.Issuer, "oidc-issuer", "", "issuer URL of the company's OpenID Connect provider; empty: no single sign-on")
	fs.StringVar(&c.ClientID, "oidc-client-id", "", "digigap's client id at the provider")
	fs.StringVar(&c.SecretFile, "oidc-client-secret-file", "", "file holding the client secret (or set "+secretEnv+")")
	fs.StringVar(&c.Scopes, "oidc-scopes", "email,profile", "scopes asked besides openid, comma-separated")
	fs.StringVar(&c.EmailClaim, "oidc-email-claim", "email", "claim matched against accounts' e-mails (email must come with email_verified; e.g. upn for Entra ID)")
	fs.StringVar(&c.GroupsClaim, "oidc-groups-claim", "groups", "claim listing the person's groups")
	fs.StringVar(&c.HRGroups, "oidc-hr-groups", "", "comma-separated groups an HR account's person must belong to (empty: not checked)")
	fs.BoolVar(&c.Local, "local-sign-in", true, "allow signing in with a digigap password (turn off once everyone uses the provider)")
	fs.BoolVar(&c.HRSecondFactor, "hr-second-factor", true, "HR accounts signing in with a password must use a TOTP second factor")
}

// oidc builds the relying party's settings, or nil when no issuer is set.
func (c *signInConfig) oidc(env *Env, baseURL string) (*api.OIDCConfig, error) {
	if c.Issuer == "" {
		if !c.Local {
			return nil, errors.New("--local-sign-in=false needs --oidc-issuer: nobody could sign in")
		}
		return nil, nil
	}
	secret := env.Getenv(secretEnv)
	if c.SecretFile != "" {
		data, err := os.ReadFile(c.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("--oidc-client-secret-file: %v", err)
		}
		secret = strings.TrimSpace(string(data))
	}
	switch {
	case c.ClientID == "":
		return nil, errors.New("--oidc-issuer needs --oidc-client-id")
	case secret == "":
		return nil, fmt.Errorf("--oidc-issuer needs the client secret: set %s or --oidc-client-secret-file", secretEnv)
	case baseURL == "":
		return nil, errors.New("--oidc-issuer needs --base-url: the provider sends the browser back to <base-url>/login/oidc/callback")
	}
	return &api.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret,
		Scopes: splitList(c.Scopes), EmailClaim: c.EmailClaim, GroupsClaim: c.GroupsClaim, HRGroups: splitList(c.HRGroups),
		RedirectURL: baseURL + "/login/oidc/callback", PostLogoutURL: baseURL + "/login"}, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
