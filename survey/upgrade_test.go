package survey_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"digigap/survey"
)

// upgradeFixture is a small database written by the release before this
// one (main at a1b1087: the demo org, three waves, two accounts, eight
// invitations of which three were used, team links). Every migration
// must open it in place and keep its data; never regenerate it.
const upgradeFixture = "testdata/upgrade/main-a1b1087.db"

// openUpgradeFixture copies the fixture into a temp dir and opens the copy
// with today's code, which migrates it.
func openUpgradeFixture(t *testing.T) *survey.Store {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "old.db")
	in, err := os.Open(upgradeFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := survey.Open(context.Background(), dst, survey.Options{})
	if err != nil {
		t.Fatalf("open the previous release's database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUpgrade_PreviousReleaseDatabaseOpensWithItsData(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	if got, want := mustVersion(t, st), survey.SchemaVersion(); got != want {
		t.Errorf("version = %d, want %d", got, want)
	}
	var teams, campaigns, users int64
	st.DB().Raw("SELECT COUNT(*) FROM teams").Scan(&teams)
	st.DB().Raw("SELECT COUNT(*) FROM campaigns").Scan(&campaigns)
	st.DB().Raw("SELECT COUNT(*) FROM users").Scan(&users)
	if teams != 78 || campaigns != 3 || users != 2 {
		t.Errorf("teams, campaigns, users = %d, %d, %d; want 78, 3, 2", teams, campaigns, users)
	}
	diffs, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("counters differ from the raw answers after the upgrade: %v", diffs[0])
	}
}

// The mixing-stage migration rebuilds responses without rowid, copying
// the old rows in random order: no answer is lost, none can be ordered.
func TestUpgrade_ResponsesLoseTheirArrivalOrder(t *testing.T) {
	st := openUpgradeFixture(t)
	var responses, pending int64
	st.DB().Raw("SELECT COUNT(*) FROM responses").Scan(&responses)
	st.DB().Raw("SELECT COUNT(*) FROM pending_responses").Scan(&pending)
	if responses != 1089 || pending != 0 {
		t.Errorf("responses, pending = %d, %d; want the fixture's 1089, 0", responses, pending)
	}
	if err := st.DB().Exec("SELECT rowid FROM responses").Error; err == nil {
		t.Error("responses still has a rowid: ORDER BY rowid gives the arrival order")
	}
}
