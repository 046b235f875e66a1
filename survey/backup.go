package survey

import (
	"context"
	"database/sql"
	"fmt"
	"os"
)

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO: it reads one snapshot, so submissions go on meanwhile and
// the copy is compact and ready to open. PostgreSQL has pg_dump for that.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return Errorf(EINVALID, "backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return FieldError(ECONFLICT, "to", "%s already exists: choose a new file", path)
	}
	// A connection of its own: the read pool is query-only, and the write
	// connection must stay free for submissions while the copy runs.
	db, err := sql.Open("sqlite3", s.dsnBase)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
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
