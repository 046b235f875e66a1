package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// BackupSummary is what a checked copy holds, printed by `digigap backup`
// so that `digigap verify` on the restored file can be compared with it.
type BackupSummary struct {
	SchemaVersion               int
	Teams, Campaigns, Responses int64
	Integrity                   string
}

func (b BackupSummary) String() string {
	return fmt.Sprintf("schema version %d, %d teams, %d campaigns, %d responses, integrity %s",
		b.SchemaVersion, b.Teams, b.Campaigns, b.Responses, b.Integrity)
}

// backupChecked, when set by a test, runs on the temporary copy before it is
// checked: a test corrupts the copy there to see the check refuse it.
var backupChecked func(tmp string)

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO: it reads one snapshot, so submissions go on meanwhile and
// the copy is compact and ready to open. The copy is written under a
// temporary name in the same folder, checked (integrity, schema version,
// counts), flushed to disk and only then given its name: an interrupted
// backup never leaves a file at path. PostgreSQL has pg_dump for that.
func (s *Store) Backup(ctx context.Context, path string) (*BackupSummary, error) {
	if s.dialect != SQLite {
		return nil, Errorf(EINVALID, "backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return nil, FieldError(ECONFLICT, "to", "%s already exists: choose a new file", path)
	}
	tmpFile, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("backup to %s: %w", path, err)
	}
	tmp := tmpFile.Name()
	tmpFile.Close()
	defer removeSQLiteFiles(tmp) // gone once renamed; left over only on failure
	// A connection of its own: the read pool is query-only, and the write
	// connection must stay free for submissions while the copy runs.
	db, err := sql.Open("sqlite3", s.dsnBase)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	before, err := inspectCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return nil, fmt.Errorf("backup to %s: %w", path, err)
	}
	after, err := inspectCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	if backupChecked != nil {
		backupChecked(tmp)
	}
	sum, err := inspectSQLite(ctx, tmp)
	if err == nil {
		err = sum.matches(before, after)
	}
	if err != nil {
		return nil, fmt.Errorf("backup to %s: the copy failed its check, nothing was written: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	// Link, unlike rename, never replaces a file that appeared meanwhile;
	// rename serves file systems without hard links.
	if err := os.Link(tmp, path); errors.Is(err, os.ErrExist) {
		return nil, FieldError(ECONFLICT, "to", "%s already exists: choose a new file", path)
	} else if err != nil {
		if err := os.Rename(tmp, path); err != nil {
			return nil, fmt.Errorf("backup to %s: %w", path, err)
		}
	}
	return sum, syncFile(filepath.Dir(path))
}

// counts reads the figures a copy is checked against.
func inspectCounts(ctx context.Context, db *sql.DB) (*BackupSummary, error) {
	sum := &BackupSummary{}
	err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&sum.SchemaVersion)
	for _, c := range []struct {
		table string
		n     *int64
	}{{"teams", &sum.Teams}, {"campaigns", &sum.Campaigns}, {"responses", &sum.Responses}} {
		if err == nil {
			err = db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.n)
		}
	}
	return sum, err
}

// matches checks a copy against the database read just before and just
// after it was taken: the copy is one snapshot in between, so its schema
// is the same and each count lies between the two readings.
func (b *BackupSummary) matches(before, after *BackupSummary) error {
	if b.SchemaVersion != before.SchemaVersion || b.SchemaVersion != after.SchemaVersion {
		return fmt.Errorf("the copy has schema version %d, the database %d", b.SchemaVersion, after.SchemaVersion)
	}
	for _, c := range []struct {
		what              string
		copy, old, recent int64
	}{{"teams", b.Teams, before.Teams, after.Teams}, {"campaigns", b.Campaigns, before.Campaigns, after.Campaigns},
		{"responses", b.Responses, before.Responses, after.Responses}} {
		if c.copy < min(c.old, c.recent) || c.copy > max(c.old, c.recent) {
			return fmt.Errorf("the copy has %d %s, the database %d before and %d after the copy", c.copy, c.what, c.old, c.recent)
		}
	}
	return nil
}

// inspectSQLite opens a database file read-only, ignoring any journal or
// WAL beside it, and reports what it holds; a file that is not a sound
// digigap database is an error.
func inspectSQLite(ctx context.Context, path string) (*BackupSummary, error) {
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sum := &BackupSummary{}
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&sum.Integrity); err != nil {
		return nil, fmt.Errorf("%s is not a readable SQLite database: %w", path, err)
	}
	if sum.Integrity != "ok" {
		return nil, fmt.Errorf("%s is damaged: integrity_check says %q", path, sum.Integrity)
	}
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").Scan(&tables); err != nil || tables == 0 {
		return nil, fmt.Errorf("%s has no digigap schema: it is empty or another program's database", path)
	}
	counts, err := inspectCounts(ctx, db)
	if err != nil || counts.SchemaVersion == 0 {
		return nil, fmt.Errorf("%s has no complete digigap schema: %v", path, err)
	}
	counts.Integrity = sum.Integrity
	return counts, nil
}

// CheckSQLiteFile refuses, before anything opens it (which would create or
// change it), a file that cannot be a sound digigap database: missing or
// empty, with a journal or write-ahead log pending beside it, or without
// digigap's schema. `digigap verify` runs it on a restored backup.
func CheckSQLiteFile(ctx context.Context, path string) (*BackupSummary, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist", path)
	case err != nil:
		return nil, err
	case st.Size() == 0:
		return nil, fmt.Errorf("%s is empty: it is not a digigap database (an interrupted copy?)", path)
	}
	if j, err := os.Stat(path + "-journal"); err == nil && j.Size() > 0 {
		return nil, fmt.Errorf("%s-journal is beside it: a write to it was interrupted (an unfinished copy?); do not use this file", path)
	}
	if w, err := os.Stat(path + "-wal"); err == nil && w.Size() > 0 {
		return nil, fmt.Errorf("%s-wal is beside it: stop digigap first (after a crash, start and stop it once so it recovers the log); "+
			"after restoring a backup, remove %s-wal and %s-shm (they belong to the old database)", path, path, path)
	}
	return inspectSQLite(ctx, path)
}

// syncFile flushes a file (or a folder, after a rename) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("flush %s: %w", path, err)
	}
	return nil
}

func removeSQLiteFiles(path string) {
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// IntegrityCheck runs SQLite's integrity_check and returns its verdict ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	if s.dialect != SQLite {
		return "ok", nil
	}
	var rows []string
	if err := s.read.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return "", err
	}
	if len(rows) == 1 {
		return rows[0], nil
	}
	return fmt.Sprint(rows), nil
}
