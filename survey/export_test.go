package survey

import (
	"context"

	"gorm.io/gorm"
)

// SetBackupHook runs f on each backup's temporary copy before its check,
// until the returned function restores the default.
func SetBackupHook(f func(tmp string)) (restore func()) {
	old := backupChecked
	backupChecked = f
	return func() { backupChecked = old }
}

// FlushAsWriter runs, in a transaction of its own, the flush the writer's
// next transaction would carry (StartWriter first), and says how many
// answers it moved.
func (s *Store) FlushAsWriter(ctx context.Context) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n = s.flushInWriter(tx, writerFlushLimit)
		return nil
	})
	return n, err
}
