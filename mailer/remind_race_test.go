package mailer_test

import (
	"context"
	"testing"
	"time"

	"digigap/survey"
)

// TestClaimMail_AReminderMeetingAnAnswerWaitsForIt plays, on PostgreSQL,
// a reminder being prepared while its recipient's answer is being written:
// the answer holds the old invitation (consumed) and then deletes the
// address, whose queued reminder goes with it. The claim must neither
// wait on that invitation nor deadlock with the answer: it leaves the
// reminder for later, the answer commits, and no reminder remains.
func TestClaimMail_AReminderMeetingAnAnswerWaitsForIt(t *testing.T) {
	ctx := context.Background()
	f, msgs, stop := mailedWave(t, survey.Postgres, 3)
	st := f.st
	stop()
	f.clk.Set("2026-03-12")
	if n, err := f.st.Remind(ctx, f.c.ID); err != nil || n != 3 {
		t.Fatalf("Remind = %d, %v; want 3", n, err)
	}

	// The answer's transaction, as the writer runs it: consume, then forget the address.
	hash := survey.HashToken(msgs[address(1)][0].Token())
	answer := st.DB().Begin()
	t.Cleanup(func() { answer.Rollback() })
	if err := answer.Exec("UPDATE invitations SET used = TRUE WHERE token_hash = ?", hash).Error; err != nil {
		t.Fatal(err)
	}
	type claim struct {
		jobs []survey.MailJob
		err  error
	}
	claimed := make(chan claim, 1)
	go func() {
		jobs, err := f.st.ClaimMail(ctx, "test", 10, time.Minute)
		claimed <- claim{jobs, err}
	}()
	var got claim
	deadline := time.Now().Add(time.Minute)
wait:
	for {
		select {
		case got = <-claimed:
			break wait
		default:
		}
		var waiting int64
		st.DB().Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE invitations SET revoked%'").Scan(&waiting)
		if waiting > 0 {
			t.Error("the claim waits for the invitation an answer holds")
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the claim neither returned nor waited within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := answer.Exec("DELETE FROM mail_recipients WHERE token_hash = ?", hash).Error; err != nil {
		t.Fatalf("the answer's transaction: %v", err)
	}
	if err := answer.Commit().Error; err != nil {
		t.Fatalf("the answer's commit: %v", err)
	}
	if got.jobs == nil && got.err == nil {
		got = <-claimed
	}
	if got.err != nil {
		t.Fatalf("claim: %v", got.err)
	}
	for _, j := range got.jobs {
		if j.Email == address(1) {
			t.Errorf("a reminder was prepared for the address whose answer was being written")
		}
	}
	if len(got.jobs) != 2 {
		t.Errorf("%d reminders claimed, want the 2 of the others", len(got.jobs))
	}
	var left int64
	st.DB().Raw("SELECT COUNT(*) FROM mail_outbox o JOIN mail_recipients r ON r.id = o.recipient_id WHERE r.email = ?", address(1)).Scan(&left)
	if left != 0 {
		t.Errorf("%d messages left for the address that answered", left)
	}
}
