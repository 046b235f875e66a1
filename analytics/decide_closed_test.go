package analytics_test

import (
	"context"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

// serve takes a wave's disclosure decision soon after it closes (see
// cli's maintainEvery), so that its first reader does not wait for it:
// DecideClosed stores the decision of a closed wave, notes the wave as
// done, leaves open waves and those noted done alone.
func TestDecideClosed_StoresTheDecisionOfNewlyClosedWavesOnce(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	decisions := func() (n int64) {
		f.st.DB().Raw("SELECT COUNT(*) FROM disclosure_decisions WHERE basis LIKE 'closed:%'").Scan(&n)
		return n
	}
	if n := decisions(); n != 0 {
		t.Fatalf("%d decisions before anyone read or decided", n)
	}
	open := f.wave(t, "Vague 2", "2026-04-01", 4, true)
	done := map[int64]bool{}
	if err := f.eng.DecideClosed(ctx, done); err != nil {
		t.Fatal(err)
	}
	if n := decisions(); n != 1 || !done[f.camp.ID] || done[open.ID] {
		t.Fatalf("after deciding: %d decisions, done %v; want the closed wave %d's only", n, done, f.camp.ID)
	}
	f.st.DB().Exec("DELETE FROM disclosure_decisions")
	if err := analytics.New(f.st).DecideClosed(ctx, done); err != nil {
		t.Fatal(err)
	}
	if n := decisions(); n != 0 {
		t.Errorf("a wave noted done was decided again (%d decisions)", n)
	}
	if err := analytics.New(f.st).DecideClosed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := decisions(); n != 1 {
		t.Errorf("the daily run (nothing noted) stored %d decisions, want 1", n)
	}
}
