package survey_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// backupSource is a SQLite store with a small org, in a folder of its own.
func backupSource(t *testing.T) (*survey.Store, string) {
	t.Helper()
	st := surveytest.MustOpenDB(t)
	rows, _ := survey.ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount\nB,,Bank,3\nA1,B,Agence,7\n"))
	if _, err := st.ImportOrg(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	return st, t.TempDir()
}

func TestBackup_CopyIsCheckedThenNamed(t *testing.T) {
	st, dir := backupSource(t)
	to := filepath.Join(dir, "copy.db")
	sum, err := st.Backup(context.Background(), to)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Teams != 2 || sum.SchemaVersion != survey.SchemaVersion() || sum.Integrity != "ok" {
		t.Errorf("summary = %+v, want 2 teams, the current schema, ok", sum)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d files, want the copy alone: %v", len(entries), entries)
	}
	if again, err := survey.CheckSQLiteFile(context.Background(), to); err != nil || *again != *sum {
		t.Errorf("check of the copy = %+v, %v; want %+v", again, err, sum)
	}
}

// TestBackup_CopyFailingItsCheckLeavesNoFile damages the temporary copy
// before its check, as a failing disk or a kill mid-write would: the
// backup fails and neither the file nor any part of it is left.
func TestBackup_CopyFailingItsCheckLeavesNoFile(t *testing.T) {
	st, dir := backupSource(t)
	for name, damage := range map[string]func(string){
		"truncated": func(tmp string) { os.Truncate(tmp, 0) },
		"cut short": func(tmp string) { fi, _ := os.Stat(tmp); os.Truncate(tmp, fi.Size()/2) },
		"scribbled": func(tmp string) {
			f, _ := os.OpenFile(tmp, os.O_WRONLY, 0)
			f.WriteAt([]byte(strings.Repeat("x", 3000)), 4096)
			f.Close()
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer survey.SetBackupHook(damage)()
			to := filepath.Join(dir, "copy.db")
			if _, err := st.Backup(context.Background(), to); err == nil {
				t.Fatal("a damaged copy was accepted")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("after a failed backup the folder holds %v, want nothing", entries)
			}
		})
	}
}
