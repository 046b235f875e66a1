package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"digigap/survey"
)

func TestVerify_DemoDataPassesAndATamperedCounterFails(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	env := map[string]string{"DIGIGAP_SQLITE_SYNCHRONOUS": "normal"}
	if code, _, stderr := runCLI(t, env, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	if code, out, stderr := runCLI(t, env, "verify", "--db", db); code != 0 || !strings.Contains(out, "match") {
		t.Fatalf("verify on fresh demo data: exit %d, %s %s", code, out, stderr)
	}
	st, err := survey.Open(context.Background(), db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.DB().Exec("DELETE FROM responses WHERE id IN (SELECT id FROM responses LIMIT 1)")
	st.Close()
	code, out, stderr := runCLI(t, env, "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "responses: stored") || !strings.Contains(stderr, "differ") {
		t.Errorf("verify after deleting a response: exit %d, stdout %q, stderr %q; want exit 1 and the differences", code, out, stderr)
	}
}

func TestDemo_BulkLoaderFillsALargeOrgThatVerifies(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bulk.db")
	env := map[string]string{"DIGIGAP_SQLITE_SYNCHRONOUS": "normal"}
	code, out, stderr := runCLI(t, env, "demo", "--db", db, "--responses", "3000", "--teams", "120")
	if code != 0 || !strings.Contains(out, "3000 responses") {
		t.Fatalf("demo --responses: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, env, "verify", "--db", db); code != 0 {
		t.Fatalf("verify after the bulk loader: exit %d, %s %s", code, out, stderr)
	}
}
