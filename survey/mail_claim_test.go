package survey_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// queueOne lists one address and queues its invitation.
func queueOne(t *testing.T, st *survey.Store, c *survey.Campaign) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.AddRecipients(ctx, c.ID, strings.NewReader("A1;un@bank.example\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.QueueInvitations(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
}

func claimOne(t *testing.T, st *survey.Store, owner string) survey.MailJob {
	t.Helper()
	jobs, err := st.ClaimMail(context.Background(), owner, 10, time.Minute)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim: %d jobs, %v; want 1", len(jobs), err)
	}
	return jobs[0]
}

// A claimed message is prepared before any relay is reached: its link
// works, the database holds only its hash and the token sealed, and every
// later claim (after a temporary refusal, or a sender stopped mid-way)
// gets the same message. Once sent, the sealed token is gone.
func TestClaimMail_AMessageIsPreparedOnceAndResentTheSame(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		queueOne(t, st, c)
		job := claimOne(t, st, "a")
		if job.Token == "" || survey.HashToken(job.Token) != job.TokenHash || len(job.MessageKey) != 32 || !job.PreparedAt.Equal(st.Now().Truncate(time.Second)) {
			t.Fatalf("job %+v: want a token, its hash, a random Message-ID key and the preparation time", job)
		}
		if _, err := st.InvitationByToken(ctx, job.Token); err != nil {
			t.Fatalf("the prepared link: %v, want it valid before the relay is reached", err)
		}
		var boxes [][]byte
		st.DB().Raw("SELECT token_box FROM mail_outbox").Scan(&boxes)
		if len(boxes) != 1 || len(boxes[0]) == 0 || bytes.Contains(boxes[0], []byte(job.Token)) {
			t.Fatalf("sealed token %q: want it stored, never in clear", boxes)
		}
		if err := st.MailRetry(ctx, job, "451", st.Now()); err != nil {
			t.Fatal(err)
		}
		again := claimOne(t, st, "a")
		// The sender holding it dies; its lease runs out; another takes it.
		later := st.WithClock(func() time.Time { return st.Now().Add(2 * time.Minute) })
		third := claimOne(t, later, "b")
		for _, j := range []survey.MailJob{again, third} {
			if j.Token != job.Token || j.MessageKey != job.MessageKey || !j.PreparedAt.Equal(job.PreparedAt) {
				t.Errorf("claimed again: %+v, want the same message as %+v", j, job)
			}
		}
		if again.Attempt != 2 || third.Attempt != 3 {
			t.Errorf("attempts %d, %d; want 2, 3", again.Attempt, third.Attempt)
		}
		if err := st.MailSent(ctx, again); err != nil { // the first holder's delivery counts too
			t.Fatal(err)
		}
		if err := later.MailSent(ctx, third); err != nil {
			t.Fatal(err)
		}
		var sealed, valid int64
		st.DB().Raw("SELECT COUNT(*) FROM mail_outbox WHERE token_box IS NOT NULL OR state <> 'sent'").Scan(&sealed)
		st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE mailed AND NOT revoked").Scan(&valid)
		if sealed != 0 || valid != 1 {
			t.Errorf("%d messages not sent or still sealed, %d valid invitations; want 0 and 1", sealed, valid)
		}
		if mc, err := st.MailCountsOf(ctx, c.ID); err != nil || mc.Sent != 1 || mc.ToSend != 0 {
			t.Errorf("counts %+v, %v; want 1 sent", mc, err)
		}
	})
}

// Counts say sent only once the relay took the message: a prepared
// invitation is still to send.
func TestClaimMail_APreparedInvitationIsNotCountedSent(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		queueOne(t, st, c)
		claimOne(t, st, "a")
		if mc, err := st.MailCountsOf(ctx, c.ID); err != nil || mc.Sent != 0 || mc.ToSend != 1 {
			t.Errorf("counts %+v, %v; want 0 sent, 1 to send", mc, err)
		}
	})
}

// Opened with another mixing key, a sender cannot read the sealed token:
// it prepares the message again with a new link and deletes the first,
// so that one link at most works.
func TestClaimMail_AnUnreadableTokenIsReplacedNotDoubled(t *testing.T) {
	ctx := context.Background()
	dsn := surveytest.DSN(t, survey.SQLite)
	open := func(key string) *survey.Store {
		st, err := survey.Open(ctx, dsn, survey.Options{MixKeyFile: filepath.Join(filepath.Dir(dsn), key), Now: clock("2026-03-05")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st, c := openCampaign(t, open("first.mixkey"))
	queueOne(t, st, c)
	first := claimOne(t, st, "a")
	if _, err := st.ReleaseOrphans(ctx); err != nil {
		t.Fatal(err)
	}
	other := open("second.mixkey")
	second := claimOne(t, other, "a")
	if second.Token == first.Token || second.MessageKey == first.MessageKey {
		t.Fatalf("the message was not prepared again")
	}
	if _, err := other.InvitationByToken(ctx, first.Token); err == nil {
		t.Error("the first link still works: two links for one address")
	}
	if _, err := other.InvitationByToken(ctx, second.Token); err != nil {
		t.Errorf("the new link: %v", err)
	}
}
