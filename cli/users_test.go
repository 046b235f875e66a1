package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digigap/auth"
	"digigap/cli"
	"digigap/survey"
)

// runCLIStdin runs a command with stdin.
func runCLIStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, &cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
	})
	return code, out.String(), errOut.String()
}

func TestUserCreate_PasswordFromFileOrStdinNeverAFlag(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "u.db")
	org := filepath.Join(dir, "org.csv")
	os.WriteFile(org, []byte("code,parent_code,name,headcount\nB,,Bank,2\nN,B,Nord,5\n"), 0o600)
	if code, _, stderr := runCLI(t, nil, "org", "import", "--db", db, org); code != 0 {
		t.Fatal(stderr)
	}
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("correct horse battery staple\n"), 0o600)
	if code, out, stderr := runCLI(t, nil, "user", "create", "--db", db, "--email", "hr@bank.example", "--role", "hr", "--password-file", pwFile); code != 0 || !strings.Contains(out, "created hr account") {
		t.Fatalf("from a file: exit %d, %q %q", code, out, stderr)
	}
	if code, out, stderr := runCLIStdin(t, "another good passphrase\n", "user", "create", "--db", db, "--email", "m@bank.example", "--role", "manager", "--teams", "N", "--password-file", "-"); code != 0 {
		t.Fatalf("from stdin: exit %d, %q %q", code, out, stderr)
	}
	if code, _, stderr := runCLIStdin(t, "password\n", "user", "create", "--db", db, "--email", "x@bank.example", "--role", "hr"); code != 1 || !strings.Contains(stderr, "common passwords") {
		t.Errorf("common password: exit %d, %q; want a refusal", code, stderr)
	}
	if code, _, _ := runCLI(t, nil, "user", "create", "--db", db, "--email", "y@bank.example", "--role", "hr", "--password", "secret secret"); code != 2 {
		t.Errorf("--password flag: exit %d, want 2 (no such flag)", code)
	}
	code, out, _ := runCLI(t, nil, "user", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "hr@bank.example") || !strings.Contains(out, "m@bank.example   manager  N") {
		t.Errorf("user list: exit %d\n%s", code, out)
	}
	if code, out, stderr := runCLI(t, nil, "user", "disable", "--db", db, "--email", "m@bank.example"); code != 0 || !strings.Contains(out, "disabled") {
		t.Errorf("user disable: exit %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCLIStdin(t, "a brand new passphrase\n", "user", "password", "--db", db, "--email", "hr@bank.example", "--password-file", "-"); code != 0 {
		t.Errorf("user password: exit %d %q", code, stderr)
	}
}

func TestPurge_ReportsWhatItDeleted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	code, out, stderr := runCLI(t, nil, "purge", "--db", db)
	if code != 0 || !strings.Contains(out, "purged 0 raw responses of 0 campaigns") {
		t.Errorf("exit %d, %q %q", code, out, stderr)
	}
}

// `digigap user password` (an HR account locked out, or taken over) ends
// the account's sessions and revokes its API tokens.
func TestUserPassword_EndsSessionsAndTokens(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "u.db")
	if code, _, stderr := runCLIStdin(t, "correct horse battery staple\n", "user", "create", "--db", db, "--email", "hr@bank.example", "--role", "hr", "--password-file", "-"); code != 0 {
		t.Fatal(stderr)
	}
	ctx := context.Background()
	st, err := survey.Open(ctx, db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acc := auth.New(st)
	sid, hr, err := acc.Login(ctx, "hr@bank.example", "correct horse battery staple", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, _ := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "nightly"})
	st.Close()
	if code, _, stderr := runCLIStdin(t, "a brand new passphrase\n", "user", "password", "--db", db, "--email", "hr@bank.example", "--password-file", "-"); code != 0 {
		t.Fatalf("user password: exit %d %q", code, stderr)
	}
	st, _ = survey.Open(ctx, db, survey.Options{})
	defer st.Close()
	acc = auth.New(st)
	if _, err := acc.Authenticate(ctx, sid); err == nil {
		t.Error("a session survived the reset")
	}
	if _, err := acc.AuthenticateToken(ctx, secret); err == nil {
		t.Error("an API token survived the reset")
	}
}

// `digigap user password` marks the password as typed by someone else;
// --link prints a one-time set-password link instead, stored only hashed.
func TestUserPassword_ForcesAChangeOrPrintsALink(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	if code, _, stderr := runCLIStdin(t, "correct horse battery staple\n", "user", "create", "--db", db, "--email", "hr@bank.example", "--role", "hr", "--password-file", "-"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLIStdin(t, "a brand new passphrase\n", "user", "password", "--db", db, "--email", "hr@bank.example", "--password-file", "-"); code != 0 {
		t.Fatalf("user password: exit %d %q", code, stderr)
	}
	code, out, stderr := runCLI(t, nil, "user", "password", "--db", db, "--email", "hr@bank.example", "--link", "--base-url", "https://digigap.bank.example")
	if code != 0 || !strings.HasPrefix(out, "https://digigap.bank.example/set-password/") {
		t.Fatalf("--link: exit %d %q %q", code, out, stderr)
	}
	token := strings.TrimSpace(strings.TrimPrefix(out, "https://digigap.bank.example/set-password/"))
	ctx := context.Background()
	st, err := survey.Open(ctx, db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc := auth.New(st)
	u, err := acc.UserByEmail(ctx, "hr@bank.example")
	if err != nil || !u.MustChangePassword {
		t.Errorf("after user password: must change = %v, %v; want true", u != nil && u.MustChangePassword, err)
	}
	if u, err := acc.UsePasswordLink(ctx, token, "my very own passphrase"); err != nil || u.MustChangePassword {
		t.Errorf("using the printed link: %v, %+v", err, u)
	}
}
