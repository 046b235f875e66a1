// Package surveytest opens real stores for tests: a fresh SQLite file in a
// temporary folder, and, when DIGIGAP_TEST_POSTGRES is set, a fresh schema
// in that PostgreSQL database, so packages can test in parallel.
package surveytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"digigap/survey"
)

// PostgresEnv names the variable holding the PostgreSQL test DSN.
const PostgresEnv = "DIGIGAP_TEST_POSTGRES"

// Dialects lists the databases tests run on here: SQLite always,
// PostgreSQL when DIGIGAP_TEST_POSTGRES is set.
func Dialects() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{survey.SQLite, survey.Postgres}
	}
	return []string{survey.SQLite}
}

// DSN returns a fresh, empty database for dialect, removed after the test.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == survey.SQLite {
		return filepath.Join(tb.TempDir(), "digigap.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip(PostgresEnv + " not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("bad %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpen opens a fresh store of dialect, closed after the test.
func MustOpen(tb testing.TB, dialect string, opts ...survey.Options) *survey.Store {
	tb.Helper()
	var opt survey.Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	if opt.MixKeyFile == "" { // PostgreSQL's default is the working directory: keep tests out of it
		opt.MixKeyFile = filepath.Join(tb.TempDir(), "digigap.mixkey")
	}
	st, err := survey.Open(context.Background(), DSN(tb, dialect), opt)
	if err != nil {
		tb.Fatalf("open %s store: %v", dialect, err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// MustOpenDB opens a fresh SQLite store, the default for tests.
func MustOpenDB(tb testing.TB) *survey.Store {
	return MustOpen(tb, survey.SQLite)
}

// EachDialect runs fn as a subtest on every available database.
func EachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// EachStore runs fn as a subtest with a fresh store of every available database.
func EachStore(t *testing.T, fn func(t *testing.T, st *survey.Store)) {
	EachDialect(t, func(t *testing.T, d string) { fn(t, MustOpen(t, d)) })
}
