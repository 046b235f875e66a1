package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digigap/cli"
	"digigap/survey"
)

// runCLI runs one command line in-process and returns its exit status and output.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, &cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errOut.String()
}

func TestRun_UnknownFlagIsOneLineAndExit2(t *testing.T) {
	code, _, stderr := runCLI(t, nil, "serve", "--bogus")
	if got, want := code, 2; got != want {
		t.Errorf("exit = %d, want %d", got, want)
	}
	if got, want := strings.Count(stderr, "\n"), 1; got != want || !strings.Contains(stderr, "bogus") {
		t.Errorf("stderr = %q, want one line naming the flag", stderr)
	}
}

func TestRun_UnknownCommandExit2(t *testing.T) {
	if code, _, _ := runCLI(t, nil, "frobnicate"); code != 2 {
		t.Errorf("exit = %d, want 2", code)
	}
}

func TestRun_BadDatabaseFailsWithOneLine(t *testing.T) {
	for _, db := range []string{"/nonexistent-dir/x.db", "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"} {
		code, _, stderr := runCLI(t, nil, "campaign", "list", "--db", db)
		if code != 1 || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line", db, code, stderr)
		}
	}
}

func TestOrgImport_BadFileImportsNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	bad := filepath.Join(dir, "org.csv")
	os.WriteFile(bad, []byte("code,parent_code,name,headcount\nB,,Bank,2\nA1,B,Agence,x\n"), 0o600)
	code, _, stderr := runCLI(t, nil, "org", "import", "--db", db, bad)
	if code != 1 || !strings.Contains(stderr, "line 3") {
		t.Fatalf("exit %d, stderr %q; want exit 1 naming line 3", code, stderr)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("code,parent_code,name,headcount\nB,,Bank,2\nA1,B,Agence,7\n"), 0o600)
	code, stdout, stderr := runCLI(t, map[string]string{"DIGIGAP_DB": db}, "org", "import", good)
	if code != 0 || !strings.Contains(stdout, "2 new") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestDemo_SameSeedSameData(t *testing.T) {
	digest := func(seed string) string {
		db := filepath.Join(t.TempDir(), "demo.db")
		if code, _, stderr := runCLI(t, nil, "demo", "--db", db, "--seed", seed); code != 0 {
			t.Fatalf("demo: %s", stderr)
		}
		st, err := survey.Open(context.Background(), db, survey.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var rows []struct {
			TeamID int64
			Codes  []byte
		}
		st.DB().Raw("SELECT team_id, codes FROM responses ORDER BY campaign_id, team_id, codes").Scan(&rows)
		h := sha256.New()
		for _, r := range rows {
			fmt.Fprintf(h, "%d:%x\n", r.TeamID, r.Codes)
		}
		return fmt.Sprintf("%d/%x", len(rows), h.Sum(nil))
	}
	a, b, c := digest("7"), digest("7"), digest("8")
	if a != b {
		t.Errorf("seed 7 twice gave %s and %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same data")
	}
}

func TestServe_AnswersThenStopsOnCancel(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &cli.Env{
			Stdout: &bytes.Buffer{}, Stderr: &stderr,
			Getenv: func(k string) string { return map[string]string{"DIGIGAP_DB": db}[k] },
			Ready:  func(addr string) { ready <- addr },
		})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := os.Stat(db); err != nil {
		t.Errorf("DIGIGAP_DB was not used: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit = %d, want 0: %s", code, stderr.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestBackup_CopiesLiveDatabaseThatOpensIntact(t *testing.T) {
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "live.db"), filepath.Join(dir, "copy.db")
	if code, _, stderr := runCLI(t, nil, "demo", "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, nil, "backup", "--db", db, "--to", copyPath); code != 0 {
		t.Fatal(stderr)
	}
	// The copy opens with the live database's mixing key: a backup needs it.
	st, err := survey.Open(context.Background(), copyPath, survey.Options{MixKeyFile: survey.MixKeyFile(db, "")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if verdict, err := st.IntegrityCheck(context.Background()); err != nil || verdict != "ok" {
		t.Errorf("integrity = %q, %v", verdict, err)
	}
	var n int64
	st.DB().Model(&survey.Response{}).Count(&n)
	if n == 0 {
		t.Error("the copy has no response")
	}
	if code, _, _ := runCLI(t, nil, "backup", "--db", db, "--to", copyPath); code != 1 {
		t.Errorf("backup over an existing file: exit %d, want 1", code)
	}
}

func TestCoverageImport_BadRowImportsNothingGoodFileReplacesMonths(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	org := filepath.Join(dir, "org.csv")
	os.WriteFile(org, []byte("code,parent_code,name,headcount\nB,,Bank,2\nA1,B,Agence,7\n"), 0o600)
	if code, _, stderr := runCLI(t, nil, "org", "import", "--db", db, org); code != 0 {
		t.Fatalf("org import: exit %d, %s", code, stderr)
	}
	head := "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent\n"
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(head+"A1,2025-01,10,4,4,2,2\nA1,2025-02,10,11,4,2,2\n"), 0o600)
	code, _, stderr := runCLI(t, nil, "coverage", "import", "--db", db, bad)
	if code != 1 || !strings.Contains(stderr, "line 3: with_mobile (11) is more than clients (10)") {
		t.Fatalf("exit %d, stderr %q; want exit 1 naming line 3 and the reason", code, stderr)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte(head+"A1,2025-01,10,4,4,2,2\nA1,2025-02,11,5,4,2,2\n"), 0o600)
	code, stdout, stderr := runCLI(t, nil, "coverage", "import", "--db", db, good)
	if code != 0 || !strings.Contains(stdout, "imported 2 coverage rows; replaced 2025-01, 2025-02") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
