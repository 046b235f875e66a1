package survey_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestMigrate_UpgradesFirstVersionKeepingData(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := surveytest.DSN(t, dialect)
		mixKey := filepath.Join(t.TempDir(), "digigap.mixkey")
		old, err := survey.OpenAt(ctx, dsn, survey.Options{MixKeyFile: mixKey}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := old.Version(ctx); v != 1 {
			t.Fatalf("version = %d, want 1", v)
		}
		// Today's store code expects today's schema: write the old data with SQL.
		exec(t, old.DB(), "INSERT INTO teams (code, parent_id, name, headcount, created_at, updated_at) VALUES ('B', NULL, 'Banque', 2, ?, ?)", old.Now(), old.Now())
		for _, code := range []string{"S1", "S2", "A1", "A2", "A3"} {
			exec(t, old.DB(), "INSERT INTO teams (code, parent_id, name, headcount, created_at, updated_at) SELECT ?, id, ?, 1, created_at, updated_at FROM teams WHERE code = 'B'", code, "Team "+code)
		}
		old.Close()

		st, err := survey.Open(ctx, dsn, survey.Options{MixKeyFile: mixKey})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if got, want := mustVersion(t, st), survey.SchemaVersion(); got != want {
			t.Errorf("version = %d, want %d", got, want)
		}
		teams, err := st.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(teams), 6; got != want {
			t.Errorf("teams after upgrade = %d, want %d", got, want)
		}
		mustCampaign(t, st, "B") // the new tables work with the old data
	})
}

func TestOpen_RefusesDatabaseFromNewerBinary(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := surveytest.DSN(t, dialect)
		mixKey := filepath.Join(t.TempDir(), "digigap.mixkey")
		st, err := survey.Open(ctx, dsn, survey.Options{MixKeyFile: mixKey})
		if err != nil {
			t.Fatal(err)
		}
		next := survey.SchemaVersion() + 1
		exec(t, st.DB(), "INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'later')", next)
		st.Close()
		_, err = survey.Open(ctx, dsn, survey.Options{MixKeyFile: mixKey})
		if err == nil || !strings.Contains(err.Error(), "newer than this digigap binary") {
			t.Fatalf("err = %v, want a newer-schema refusal", err)
		}
	})
}

func TestOpen_UnwritablePathFailsClearly(t *testing.T) {
	_, err := survey.Open(context.Background(), "/nonexistent-dir/x/digigap.db", survey.Options{})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v, want a clear missing-folder error", err)
	}
}

func TestOpen_UnreachablePostgresFailsClearly(t *testing.T) {
	_, err := survey.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", survey.Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to PostgreSQL") {
		t.Fatalf("err = %v, want a connection error", err)
	}
}

func mustVersion(tb testing.TB, st *survey.Store) int {
	v, err := st.Version(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func exec(tb testing.TB, db *gorm.DB, sql string, args ...any) {
	tb.Helper()
	if err := db.Exec(sql, args...).Error; err != nil {
		tb.Fatal(err)
	}
}
