package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMailFlags_RelayNeedsFromAndBaseURLAndNeverAPasswordOnTheCommandLine(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := []string{"--base-url", "https://enquete.bank.example", "--mail-from", "enquete@bank.example"}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		password string
		err      string
	}{
		{name: "no relay: CSV only", args: nil},
		{name: "password from the environment", args: append([]string{"--smtp-url", "smtp://hr@mail.bank.example"}, ok...), env: map[string]string{"DIGIGAP_SMTP_PASSWORD": "from-env"}, password: "from-env"},
		{name: "password from a file", args: append([]string{"--smtp-url", "smtp://hr@mail.bank.example", "--smtp-password-file", pwFile}, ok...), password: "from-file"},
		{name: "url from the environment", args: ok, env: map[string]string{"DIGIGAP_SMTP_URL": "smtps://hr@mail.bank.example"}},
		{name: "password in the url", args: append([]string{"--smtp-url", "smtp://hr:secret@mail.bank.example"}, ok...), err: "must not hold the password"},
		{name: "no base url", args: []string{"--smtp-url", "smtp://mail.bank.example", "--mail-from", "enquete@bank.example"}, err: "needs --base-url"},
		{name: "no from", args: []string{"--smtp-url", "smtp://mail.bank.example", "--base-url", "https://x.example"}, err: "--mail-from"},
		{name: "rate 0", args: append([]string{"--smtp-url", "smtp://mail.bank.example", "--smtp-rate", "0"}, ok...), err: "--smtp-rate"},
	}
	for _, tt := range tests {
		var cfg Config
		var m mailConfig
		env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return tt.env[k] }}
		fs := newFlagSet("serve", env, &cfg)
		baseURLFlag(fs, &cfg)
		mailFlags(fs, &m)
		if err := parse(fs, tt.args, env, &cfg); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r, err := m.relay(env, &cfg)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case (r == nil) != (tt.args == nil):
			t.Errorf("%s: relay %+v", tt.name, r)
		case r != nil && r.Password != tt.password:
			t.Errorf("%s: password %q, want %q", tt.name, r.Password, tt.password)
		}
	}
}
