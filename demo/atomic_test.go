package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// A demo stopped after any step, inside Store.InTransaction, leaves no
// trace (no team, campaign, response, coverage row or action), and the
// same store then takes the whole demo.
func TestGenerate_InterruptedInATransactionLeavesNothing(t *testing.T) {
	now := time.Date(2027, 3, 31, 9, 0, 0, 0, time.UTC)
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		st := surveytest.MustOpen(t, dialect, survey.Options{SynchronousNormal: true, Now: func() time.Time { return now }})
		for _, stop := range []string{"org", "wave 2", "open wave", "done"} {
			ctx, cancel := context.WithCancel(context.Background())
			err := st.InTransaction(ctx, func(tx *survey.Store) error {
				_, err := demo.Generate(ctx, tx, demo.Options{Seed: 1, Progress: func(step string) {
					if step == stop {
						cancel()
					}
				}})
				return err
			})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("stopped after %q: %v, want cancelled", stop, err)
			}
			for _, table := range []string{"teams", "campaigns", "responses", "counters", "coverage", "actions"} {
				var n int64
				if err := st.ReadDB().Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil || n != 0 {
					t.Errorf("stopped after %q: %d rows in %s (%v)", stop, n, table, err)
				}
			}
		}
		err := st.InTransaction(context.Background(), func(tx *survey.Store) error {
			_, err := demo.Generate(context.Background(), tx, demo.Options{Seed: 1})
			return err
		})
		if err != nil {
			t.Fatalf("demo after the interrupted ones: %v", err)
		}
		if diffs, err := st.Verify(context.Background()); err != nil || len(diffs) > 0 {
			t.Errorf("verify: %v %v", diffs, err)
		}
	})
}
