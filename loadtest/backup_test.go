package loadtest

import (
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"digigap/survey"
)

// TestBackup_KilledMidCopyLeavesNoFile kills `digigap backup` while it
// copies a database of a few hundred megabytes: no file is left under the
// backup's name (before, the name held a part of the copy plus a journal,
// which opened as an empty database that verify accepted), and verify
// refuses both the missing backup and the partial copy with exit 1.
func TestBackup_KilledMidCopyLeavesNoFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary on a large file")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	st, err := survey.Open(context.Background(), src, survey.Options{SynchronousNormal: true})
	if err != nil {
		t.Fatal(err)
	}
	db, _ := st.DB().DB()
	db.Exec("CREATE TABLE ballast (b BLOB)")
	blob := make([]byte, 1<<20)
	for i := 0; i < 300; i++ { // random bytes: the copy cannot be quick
		rand.Read(blob)
		if _, err := db.Exec("INSERT INTO ballast VALUES (?)", blob); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	out := filepath.Join(dir, "backups")
	os.Mkdir(out, 0o700)
	to := filepath.Join(out, "copy.db")
	cmd := exec.Command(digigapBinary(t), "backup", "--db", src, "--to", to)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	partial := "" // the file the copy is being written to

	for partial == "" {
		select {
		case <-exited:
			t.Fatal("the backup finished before it could be killed mid-copy: the database is too small for this machine")
		case <-time.After(2 * time.Millisecond):
		}
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && !strings.HasSuffix(e.Name(), "-journal") && info.Size() > 1<<20 {
				partial = filepath.Join(out, e.Name())
			}
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited

	if _, err := os.Stat(to); err == nil {
		t.Errorf("%s exists after the backup was killed", to)
	}
	for _, path := range []string{to, partial} {
		verify := exec.Command(digigapBinary(t), "verify", "--db", path)
		msg, err := verify.CombinedOutput()
		if verify.ProcessState == nil || verify.ProcessState.ExitCode() != 1 {
			t.Errorf("verify on %s: %v, %s; want exit 1", filepath.Base(path), err, msg)
		}
	}
	if _, err := os.Stat(to); err == nil {
		t.Errorf("verify created %s", to)
	}
}
