package mailer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestRemind_OnlyNonRespondentsGetANewLinkAndTheOldOneSaysWhen(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		f.upload(t, 5)
		run(t, f.st, f.options(t))
		first := byRecipient(t, f.smtp.Wait(t, 5, time.Minute))
		waitFor(t, "the invitations to be recorded", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
		for _, i := range []int{0, 3} {
			if err := answer(f.st, f.c, first[address(i)][0].Token()); err != nil {
				t.Fatal(err)
			}
		}
		f.clk.Set("2026-03-12")
		n, err := f.st.Remind(ctx, f.c.ID)
		if err != nil || n != 3 {
			t.Fatalf("Remind = %d, %v; want 3 non-respondents", n, err)
		}
		all := byRecipient(t, f.smtp.Wait(t, 8, time.Minute))
		waitFor(t, "the reminders to be recorded", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
		for i := range 5 {
			want := 2
			if i == 0 || i == 3 {
				want = 1
			}
			if got := len(all[address(i)]); got != want {
				t.Errorf("%s got %d messages, want %d", address(i), got, want)
			}
		}
		old, fresh := first[address(1)][0].Token(), all[address(1)][1].Token()
		_, err = f.st.InvitationByToken(ctx, old)
		var de *survey.Error
		if !asError(err, &de) || de.Key != "invitation_reminded" || len(de.Args) != 1 || de.Args[0] != "2026-03-12" {
			t.Errorf("old link: %v, want key invitation_reminded dated 2026-03-12", err)
		}
		// Sent from a form opened before the reminder: the refusal dates it too.
		if err := answer(f.st, f.c, old); !asError(err, &de) || de.Code != survey.ECONFLICT || de.Key != "invitation_reminded" || len(de.Args) != 1 || de.Args[0] != "2026-03-12" {
			t.Errorf("answering with the old link: %v, want refused with key invitation_reminded dated 2026-03-12", err)
		}
		if err := answer(f.st, f.c, fresh); err != nil {
			t.Errorf("the reminder's link: %v", err)
		}
		if _, err := f.st.Remind(ctx, f.c.ID); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("a second reminder the same day: %v, want refused (7 days apart)", err)
		}
		c := f.counts(t)
		if c.Answered != 3 || c.Listed != 2 || c.Reminders != 1 || c.NextReminder != "2026-03-19" {
			t.Errorf("counts %+v, want 3 answered, 2 listed, 1 reminder, next on 2026-03-19", c)
		}
	})
}

func TestClose_NoAddressRemainsInTheDatabase(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clk := &clock{}
		clk.Set("2026-03-05")
		dsn := surveytest.DSN(t, dialect)
		st, err := survey.Open(ctx, dsn, survey.Options{Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f := setUp(t, st, clk)
		f.upload(t, 40)
		run(t, f.st, f.options(t))
		msgs := byRecipient(t, f.smtp.Wait(t, 40, time.Minute))
		waitFor(t, "the invitations to be recorded", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
		if err := answer(f.st, f.c, msgs[address(7)][0].Token()); err != nil {
			t.Fatal(err)
		}
		var left int64
		f.st.DB().Raw("SELECT COUNT(*) FROM mail_recipients WHERE email = ?", address(7)).Scan(&left)
		if left != 0 {
			t.Errorf("the address of who answered is still stored")
		}
		if _, err := f.st.CloseCampaign(ctx, f.c.ID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"mail_recipients", "mail_outbox"} {
			f.st.DB().Raw("SELECT COUNT(*) FROM " + table).Scan(&left)
			if left != 0 {
				t.Errorf("%s holds %d rows after closing, want 0", table, left)
			}
		}
		var audit []string
		f.st.DB().Raw("SELECT action || ' ' || COALESCE(detail, '') FROM audit_log").Scan(&audit)
		for _, a := range audit {
			if strings.Contains(a, "@banque.example") {
				t.Errorf("the audit log holds an address: %q", a)
			}
		}
		if dialect == survey.SQLite {
			path := strings.TrimPrefix(strings.SplitN(dsn, "?", 2)[0], "file:")
			for _, file := range []string{path, path + "-wal"} {
				data, err := os.ReadFile(filepath.Clean(file))
				if err != nil {
					continue
				}
				if bytes.Contains(data, []byte("@banque.example")) {
					t.Errorf("%s still holds an address after closing", filepath.Base(file))
				}
			}
		}
	})
}

func TestSend_TwoInstancesOnPostgresSendEachMessageOnce(t *testing.T) {
	if os.Getenv(surveytest.PostgresEnv) == "" {
		t.Skip("set " + surveytest.PostgresEnv + " to run against PostgreSQL")
	}
	ctx := context.Background()
	clk := &clock{}
	clk.Set("2026-03-05")
	dsn := surveytest.DSN(t, survey.Postgres)
	var stores []*survey.Store
	for range 2 {
		st, err := survey.Open(ctx, dsn, survey.Options{Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	f := setUp(t, stores[0], clk)
	const n = 300
	f.upload(t, n)
	var stops []func()
	for _, st := range stores {
		stops = append(stops, runUntil(t, st, f.options(t)))
	}
	f.smtp.Wait(t, n, 2*time.Minute)
	waitFor(t, "the outbox to empty", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
	for _, stop := range stops { // both senders finished: a second copy would be in
		stop()
	}
	msgs := byRecipient(t, f.smtp.Messages())
	for i := range n {
		if got := len(msgs[address(i)]); got != 1 {
			t.Errorf("%s got %d messages, want 1", address(i), got)
		}
	}
	var owners []string
	f.st.DB().Raw("SELECT DISTINCT owner FROM mail_outbox WHERE state = 'sent'").Scan(&owners)
	t.Logf("%d messages sent by %d instances", n, len(owners))
}

// TestAnswer_ThroughTheGroupCommitForgetsTheAddressAtOnce answers as the
// server does, through the group-commit writer: the address must go in
// the transaction that consumes the invitation, not a minute later with
// the sender's sweep (which runs first here, before the answer).
func TestAnswer_ThroughTheGroupCommitForgetsTheAddressAtOnce(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f, msgs, _ := mailedWave(t, dialect, 12)
		f.st.StartWriter(64, nil)
		for _, i := range []int{3, 7} {
			if err := answer(f.st, f.c, msgs[address(i)][0].Token()); err != nil {
				t.Fatal(err)
			}
			var left int64
			f.st.DB().Raw("SELECT COUNT(*) FROM mail_recipients WHERE email = ?", address(i)).Scan(&left)
			if left != 0 {
				t.Errorf("the address of who answered is still stored after the commit")
			}
		}
		var listed int64
		f.st.DB().Raw("SELECT COUNT(*) FROM mail_recipients").Scan(&listed)
		if listed != 10 {
			t.Errorf("%d addresses listed, want the 10 who did not answer", listed)
		}
	})
}
