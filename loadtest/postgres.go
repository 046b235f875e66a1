package loadtest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// pgSchema makes a fresh schema on the PostgreSQL server base names, for
// one measured server, and returns its DSN and how to drop it: each run
// starts from an empty database and leaves nothing behind.
func pgSchema(base, name string) (dsn string, drop func(), err error) {
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	schema := "loadtest_" + name + "_" + hex.EncodeToString(b)
	closeAdmin := func() {
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		closeAdmin()
		return "", nil, err
	}
	drop = func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		closeAdmin()
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
