package survey

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"

	"gorm.io/gorm"
)

// minFreeDisk is the free space below which a SQLite database counts as
// full: a group commit of a few hundred answers needs about this much.
const minFreeDisk = 4 << 20

var errProbeDone = errors.New("write probe: rolled back")

// CheckWritable tells whether the database can take a write now, for the
// readiness probe: a write statement that changes nothing, in a
// transaction rolled back, within the store's timeout, which fails on a
// read-only database (a PostgreSQL standby, a SQLite file that cannot be
// written); on SQLite it also refuses a full disk or page limit, which only
// a commit would otherwise reveal.
func (s *Store) CheckWritable(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var full bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE schema_migrations SET version = version WHERE 1 = 0").Error; err != nil {
			return err
		}
		if s.dialect == SQLite {
			var pages, limit, free int64
			tx.Raw("PRAGMA page_count").Scan(&pages)
			tx.Raw("PRAGMA max_page_count").Scan(&limit)
			tx.Raw("PRAGMA freelist_count").Scan(&free)
			full = limit > 0 && pages >= limit && free == 0
		}
		return errProbeDone
	})
	if err != nil && !errors.Is(err, errProbeDone) {
		if u := unavailable(err); ErrorCode(u) == EUNAVAILABLE {
			return u
		}
		return Errorf(EUNAVAILABLE, "the database cannot be written right now")
	}
	if full || s.dialect == SQLite && diskFree(filepath.Dir(s.path)) < minFreeDisk {
		return Errorf(EUNAVAILABLE, "the database is full: nothing can be saved until space is freed")
	}
	return nil
}

// diskFree is the space left to unprivileged writers in dir, or a large
// number when it cannot be told.
func diskFree(dir string) uint64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return ^uint64(0)
	}
	return st.Bavail * uint64(st.Bsize)
}
