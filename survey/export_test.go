package survey

// SetBackupHook runs f on each backup's temporary copy before its check,
// until the returned function restores the default.
func SetBackupHook(f func(tmp string)) (restore func()) {
	old := backupChecked
	backupChecked = f
	return func() { backupChecked = old }
}
