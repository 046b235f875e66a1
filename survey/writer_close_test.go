package survey_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// TestWriter_AnAnswerCommittingAsTheCampaignClosesIsRefused is the attack
// on the closing: an answer whose write transaction meets HR's closing,
// or the midnight that ends the closing day, must not land in the stage
// after the closing flush, where it would wait, and leave, alone. The
// other transaction holds the campaign's row while the answer is
// submitted; once it commits, the answer must be refused and the stage
// empty. SQLite needs no such test: its one write connection serialises
// the writer, HR's closing and the mixer.
func TestWriter_AnAnswerCommittingAsTheCampaignClosesIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, hold string
		midnight   bool
	}{
		{"closed by HR", "UPDATE campaigns SET state = 'closed' WHERE id = ?", false},
		{"closed by date", "SELECT id FROM campaigns WHERE id = ? FOR UPDATE", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			base := surveytest.MustOpen(t, survey.Postgres)
			base.StartWriter(64, nil)
			var now atomic.Value
			now.Store(time.Date(2026, 3, 20, 23, 59, 0, 0, time.UTC)) // the closing day
			_, c := openCampaign(t, base)
			st := base.WithClock(func() time.Time { return now.Load().(time.Time) })
			team, _ := st.TeamByCode(ctx, "A1")
			token := mustInvitation(t, st, c, team.ID)

			hold := st.DB().Begin()
			t.Cleanup(func() { hold.Rollback() }) // after a failure, before the schema goes
			if err := hold.Exec(tc.hold, c.ID).Error; err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, Token: token, Answers: survey.Answers{"sms.private": 1}})
				done <- err
			}()
			waitForLockWait(t, st, done)
			if tc.midnight {
				now.Store(time.Date(2026, 3, 21, 0, 0, 1, 0, time.UTC))
			}
			if err := hold.Commit().Error; err != nil {
				t.Fatal(err)
			}
			if err := <-done; survey.ErrorCode(err) != survey.ECONFLICT {
				t.Errorf("the answer committing as the campaign closed: %v, want refused as closed", err)
			}
			var staged int64
			st.DB().Raw("SELECT COUNT(*) FROM pending_responses").Scan(&staged)
			if staged != 0 {
				t.Errorf("%d answers in the stage of the closed campaign, want 0", staged)
			}
		})
	}
}

// waitForLockWait returns once a PostgreSQL session waits for a row lock
// (the writer's read of the campaign, on the row held); an answer that comes back first
// was written without waiting for the closing.
func waitForLockWait(t *testing.T, st *survey.Store, done chan error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("the answer was written while the campaign's row was held (err %v): it did not wait for the closing", err)
		default:
		}
		var waiting int64
		st.DB().Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT state, opens_on, closes_on FROM campaigns%'").Scan(&waiting)
		if waiting > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no session waited for the campaign's row within a minute")
}
