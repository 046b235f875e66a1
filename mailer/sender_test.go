package mailer_test

import (
	"context"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"digigap/mailer"
	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestSend_ThousandRecipientsEachGetOneLinkThatWorksOnce(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		const n = 1000
		f.upload(t, n)
		start := time.Now()
		run(t, f.st, f.options(t))
		got := f.smtp.Wait(t, n, 3*time.Minute)
		elapsed := time.Since(start)
		t.Logf("%s: %d messages in %v: %.0f messages/s through the test relay", dialect, n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
		waitFor(t, "the outbox to empty", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
		msgs := byRecipient(t, f.smtp.Messages())
		if len(got) != n || len(msgs) != n {
			t.Fatalf("%d messages to %d addresses, want %d to %d", len(got), len(msgs), n, n)
		}
		for i := range n {
			ms := msgs[address(i)]
			if len(ms) != 1 {
				t.Fatalf("%s got %d messages, want 1", address(i), len(ms))
			}
			tok := ms[0].Token()
			if _, err := f.st.InvitationByToken(context.Background(), tok); err != nil {
				t.Fatalf("link of %s: %v, want a valid invitation", address(i), err)
			}
			if i%50 != 0 { // answering one in fifty is enough to prove the links work once
				continue
			}
			if err := answer(f.st, f.c, tok); err != nil {
				t.Fatalf("link of %s refused: %v", address(i), err)
			}
			if err := answer(f.st, f.c, tok); survey.ErrorCode(err) != survey.ECONFLICT {
				t.Fatalf("second use of a link: %v, want a conflict", err)
			}
		}
		c := f.counts(t)
		if c.Sent != n || c.Answered != n/50 || c.Listed != n-n/50 || c.Failed != 0 {
			t.Errorf("counts %+v, want %d sent, %d answered, %d listed", c, n, n/50, n-n/50)
		}
		var teams []int64
		f.st.DB().Raw("SELECT DISTINCT team_id FROM invitations WHERE mailed").Scan(&teams)
		if len(teams) != 6 {
			t.Errorf("invitations over %d teams, want 6", len(teams))
		}
	})
}

func TestSend_TemporaryRefusalsAreRetriedUntilAccepted(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	var mu sync.Mutex
	tries := map[string]int{}
	f.smtp.Rcpt = func(to string) error {
		mu.Lock()
		defer mu.Unlock()
		tries[to]++
		if to == address(1) && tries[to] == 1 {
			return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 5}, Message: "busy, try later"}
		}
		return nil
	}
	ends := 0
	f.smtp.End = func(to []string) error {
		mu.Lock()
		defer mu.Unlock()
		if to[0] == address(2) {
			if ends++; ends == 1 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted"}
			}
		}
		return nil
	}
	f.upload(t, 4)
	run(t, f.st, f.options(t))
	f.smtp.Wait(t, 4, time.Minute)
	waitFor(t, "the outbox to empty", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
	msgs := byRecipient(t, f.smtp.Messages())
	for i := range 4 {
		if len(msgs[address(i)]) != 1 {
			t.Errorf("%s got %d messages, want 1", address(i), len(msgs[address(i)]))
		}
	}
	if tries[address(1)] != 2 || ends != 2 {
		t.Errorf("421 address tried %d times, 451 message ended %d times; want 2 and 2", tries[address(1)], ends)
	}
	// The link of the message accepted after the 451 works; the one refused left no invitation.
	if err := answer(f.st, f.c, msgs[address(2)][0].Token()); err != nil {
		t.Errorf("link after a 451 retry: %v", err)
	}
	var invitations int64
	f.st.DB().Model(&survey.Invitation{}).Where("campaign_id = ?", f.c.ID).Count(&invitations)
	if invitations != 4 {
		t.Errorf("%d invitations stored, want 4 (the refused message's one taken back)", invitations)
	}
}

func TestSend_PermanentRefusalIsFailedAndNeverRetried(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	var mu sync.Mutex
	tries := 0
	f.smtp.Rcpt = func(to string) error {
		if to != address(0) {
			return nil
		}
		mu.Lock()
		tries++
		mu.Unlock()
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: no such user"}
	}
	f.upload(t, 3)
	stop := runUntil(t, f.st, f.options(t))
	f.smtp.Wait(t, 2, time.Minute)
	waitFor(t, "the refusal to be counted", time.Minute, func() bool { return f.counts(t).Failed == 1 })
	// Failed is final: a claim takes only queued messages and expired leases.
	waitFor(t, "the sender to go idle", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
	stop()
	var failed []string
	f.st.DB().Raw("SELECT state FROM mail_outbox o JOIN mail_recipients r ON r.id = o.recipient_id WHERE r.email = ?", address(0)).Scan(&failed)
	if len(failed) != 1 || failed[0] != survey.MailFailed {
		t.Errorf("the 550 message is %q, want failed (never claimed again)", failed)
	}
	var invitations int64
	f.st.DB().Model(&survey.Invitation{}).Where("campaign_id = ?", f.c.ID).Count(&invitations)
	if invitations != 2 {
		t.Errorf("%d invitations, want 2 (the refused message's one deleted)", invitations)
	}
	mu.Lock()
	defer mu.Unlock()
	if tries != 1 {
		t.Errorf("a 550 address was tried %d times, want 1", tries)
	}
	c := f.counts(t)
	if c.Failed != 1 || c.Sent != 2 || c.ToSend != 0 {
		t.Errorf("counts %+v, want 1 failed, 2 sent, none to send", c)
	}
	var kept []string
	f.st.DB().Raw("SELECT COALESCE(error, '') FROM mail_outbox WHERE state = 'failed'").Scan(&kept)
	if len(kept) != 1 || kept[0] != "550" {
		t.Errorf("failure kept as %q, want the status code alone (the relay's text names the address)", kept)
	}
}

// The relay keeps a message but its reply is lost (the connection drops
// after the final dot): the sender cannot know, so it sends again, the
// same message: one Message-ID, the same bytes, the one link working.
func TestSend_LostReplyAfterTheEndSendsTheSameMessageAgain(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		var dropped atomic.Bool
		f.smtp.Accepted = func(to []string) bool { return to[0] == address(1) && dropped.CompareAndSwap(false, true) }
		f.upload(t, 3)
		run(t, f.st, f.options(t))
		got := f.smtp.Wait(t, 4, time.Minute)
		waitFor(t, "the outbox to empty", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
		msgs, copies := oneMessageEach(t, got, 3)
		if copies[address(1)] != 2 {
			t.Fatalf("%s got %d copies, want 2: the same message sent again", address(1), copies[address(1)])
		}
		if err := answer(f.st, f.c, msgs[address(1)].Token()); err != nil {
			t.Errorf("the link of the message sent twice: %v", err)
		}
		if c := f.counts(t); c.Sent != 3 || c.Failed != 0 {
			t.Errorf("counts %+v, want 3 sent", c)
		}
	})
}

func TestSend_RateIsHeld(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	opt := f.options(t)
	opt.Rate = 600 // one message every 100 ms
	const n = 11
	f.upload(t, n)
	var mu sync.Mutex
	var at []time.Time
	f.smtp.End = func([]string) error { mu.Lock(); at = append(at, time.Now()); mu.Unlock(); return nil }
	run(t, f.st, opt)
	f.smtp.Wait(t, n, time.Minute)
	mu.Lock()
	defer mu.Unlock()
	if span := at[n-1].Sub(at[0]); span < 950*time.Millisecond {
		t.Errorf("%d messages in %v at 600 a minute, want at least 1 s", n, span)
	}
}

func TestSend_HeadersEncodingAndLinks(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	f.upload(t, 1)
	run(t, f.st, f.options(t))
	got := f.smtp.Wait(t, 1, time.Minute)
	p := byRecipient(t, got)[address(0)][0]
	id := p.Header.Get("Message-Id")
	if _, err := mail.ParseAddress(strings.Trim(id, "<>")); err != nil || !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@banque.example>") {
		t.Errorf("Message-ID %q, want <random@banque.example>", id)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(f.clk.Now()) {
		t.Errorf("Date %q (%v), want the store's clock %v", p.Header.Get("Date"), err, f.clk.Now())
	}
	if want := "Enquête « Vague d'été » : votre lien personnel / your personal link"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	if raw := p.Header.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("raw subject %q, want RFC 2047 UTF-8 encoded", raw)
	}
	link := p.Link()
	if !strings.HasPrefix(link, base+"/s/#t=") || !strings.Contains(p.HTML, `href="`+link+`"`) {
		t.Errorf("link %q in text, HTML %q: want the same link from --base-url in both parts", link, p.HTML)
	}
	if !strings.Contains(p.Text, "jamais relié à vos réponses") || !strings.Contains(p.Text, "never linked to your answers") {
		t.Errorf("text part lacks the anonymity promise in both languages:\n%s", p.Text)
	}
	if strings.Contains(p.Text, "{") {
		t.Errorf("a placeholder was left:\n%s", p.Text)
	}
	_ = mailer.DefaultRate
}

// BenchmarkSend_TenThousandInvitations sends a wave of 10,000 invitations
// through the in-process test relay, unthrottled (at the default 120 a
// minute the rate alone makes it 83 minutes), on each dialect, and reports
// messages a second and the seconds the wave took, from the first claim
// to the relay's last acceptance:
//
//	go test ./mailer -run '^$' -bench TenThousand -benchtime 1x
func BenchmarkSend_TenThousandInvitations(b *testing.B) {
	const n = 10000
	for _, dialect := range surveytest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			var wave time.Duration
			for range b.N {
				b.StopTimer()
				f := newFixture(b, dialect)
				f.upload(b, n)
				b.StartTimer()
				start := time.Now()
				stop := runUntil(b, f.st, f.options(b))
				f.smtp.Wait(b, n, 20*time.Minute)
				wave += time.Since(start)
				b.StopTimer()
				stop()
				if got := recipients(f.smtp.Messages()); got != n {
					b.Fatalf("%d addresses reached, want %d", got, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/wave.Seconds(), "msgs/s")
			b.ReportMetric(wave.Seconds()/float64(b.N), "s/10k")
		})
	}
}
