package cli_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"digigap/survey"
)

// TestVerify_RefusesFilesThatAreNotACompleteDatabase runs verify on what an
// interrupted or botched restore leaves: each is refused with exit 1 and a
// clear message, and verify creates nothing.
func TestVerify_RefusesFilesThatAreNotACompleteDatabase(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	st, err := survey.Open(context.Background(), good, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	copyOf := func(name string) string {
		data, _ := os.ReadFile(good)
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	journal := copyOf("journal.db")
	os.WriteFile(journal+"-journal", []byte("pending"), 0o600)
	wal := copyOf("wal.db")
	os.WriteFile(wal+"-wal", []byte("pending"), 0o600)
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite3", other)
	db.Exec("CREATE TABLE notes (body TEXT)")
	db.Close()
	for _, tc := range []struct{ name, path, says string }{
		{"missing file", filepath.Join(dir, "missing.db"), "does not exist"},
		{"empty file", empty, "is empty"},
		{"pending journal", journal, "journal"},
		{"pending write-ahead log", wal, "-wal"},
		{"no digigap schema", other, "no digigap schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, nil, "verify", "--db", tc.path)
			if code != 1 || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 saying %q", code, out, stderr, tc.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("verify created the missing database")
	}
	if code, out, stderr := runCLI(t, nil, "verify", "--db", good); code != 0 {
		t.Errorf("verify on a complete database: exit %d, %s %s", code, out, stderr)
	}
}
