package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSignInConfig_SecretFromEnvironmentOrFileNeverAFlag(t *testing.T) {
	env := &Env{Getenv: func(k string) string {
		if k == "DIGIGAP_OIDC_CLIENT_SECRET" {
			return "from-env"
		}
		return ""
	}}
	c := signInConfig{Issuer: "https://sso.bank.example/realms/staff", ClientID: "digigap", Local: true, HRGroups: "hr, digigap-hr"}
	got, err := c.oidc(env, "https://survey.bank.example")
	if err != nil || got.ClientSecret != "from-env" || got.RedirectURL != "https://survey.bank.example/login/oidc/callback" || len(got.HRGroups) != 2 {
		t.Fatalf("oidc = %+v, %v", got, err)
	}
	file := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	c.SecretFile = file
	if got, _ := c.oidc(env, "https://survey.bank.example"); got.ClientSecret != "from-file" {
		t.Errorf("secret = %q, want the file's", got.ClientSecret)
	}
	if _, err := c.oidc(env, ""); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("no base URL: %v, want a refusal naming --base-url", err)
	}
	noSecret := signInConfig{Issuer: c.Issuer, ClientID: "digigap"}
	if _, err := noSecret.oidc(&Env{Getenv: func(string) string { return "" }}, "https://x.example"); err == nil {
		t.Error("an issuer without a secret is accepted")
	}
	if _, err := (&signInConfig{Local: false}).oidc(env, ""); err == nil {
		t.Error("local sign-in off without a provider is accepted: nobody could sign in")
	}
	var cfg Config
	fs := newFlagSet("serve", env, &cfg)
	signInFlags(fs, &cfg.SignIn)
	if fs.Lookup("oidc-client-secret") != nil {
		t.Error("the client secret is a flag")
	}
}
