package cli_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInvitationsGenerate_WritesCSVWithFragmentLinks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	org := filepath.Join(dir, "org.csv")
	os.WriteFile(org, []byte("code,parent_code,name,headcount\nB,,Bank,0\nA1,B,Agence Lille,3\nA2,B,=Agence Douai,2\n"), 0o600)
	env := map[string]string{"DIGIGAP_DB": db}
	steps := [][]string{
		{"org", "import", org},
		{"campaign", "create", "--name", "V1", "--teams", "B", "--opens", "2026-01-01", "--closes", "2026-01-31"},
	}
	for _, args := range steps {
		if code, _, stderr := runCLI(t, env, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	if code, _, stderr := runCLI(t, env, "invitations", "generate", "--campaign", "1"); code != 1 || !strings.Contains(stderr, "--base-url") {
		t.Errorf("without a base URL: exit %d, stderr %q; want exit 1 asking for --base-url", code, stderr)
	}
	env["DIGIGAP_BASE_URL"] = "https://survey.example.com/"
	code, stdout, stderr := runCLI(t, env, "invitations", "generate", "--campaign", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 1+5; got != want {
		t.Fatalf("rows = %d, want %d (header + headcounts 3 + 2)", got, want)
	}
	if got, want := strings.Join(rows[0], ","), "team_code,team_name,link"; got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	if got, want := rows[1][2][:len("https://survey.example.com/s/#t=")], "https://survey.example.com/s/#t="; got != want {
		t.Errorf("link = %q, want the token in the fragment", rows[1][2])
	}
	if got, want := rows[4][1], "'=Agence Douai"; got != want {
		t.Errorf("team name = %q, want %q (no spreadsheet formula)", got, want)
	}
	if !strings.Contains(stderr, "5 invitations") {
		t.Errorf("stderr = %q, want a summary", stderr)
	}
	if code, _, stderr := runCLI(t, env, "invitations", "generate", "--campaign", "1", "--base-url", "ftp://x"); code != 1 || !strings.Contains(stderr, "base") {
		t.Errorf("bad base URL: exit %d, stderr %q", code, stderr)
	}
}
