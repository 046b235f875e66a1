package mailer

import (
	"context"
	"errors"
	"net/textproto"
	"strconv"
	"sync"
	"time"

	"github.com/wneessen/go-mail/smtp"

	"digigap/survey"
)

// sendOne sends one claimed, prepared message over conn. Its invitation
// exists already; only once the relay accepted the message's end is it
// recorded sent. A crash in between leaves it claimed: it goes again,
// identical (same link, Message-ID, date and MIME boundary), so that at
// worst the recipient's mail system receives one message twice, which it
// recognises by its Message-ID, and never a message is lost or a second
// working link sent. It reports whether conn is unusable.
func (s *Sender) sendOne(ctx context.Context, conn *smtp.Client, job survey.MailJob, tpl templates) (broken bool) {
	t, err := tpl.of(ctx, s.store, job.CampaignID)
	if err != nil {
		s.refused(ctx, job, err)
		return false
	}
	msg, err := compose(s.opt.From, job.Email, t.m.Render(t.c, survey.InvitationLink(s.opt.BaseURL, job.Token)), job.PreparedAt, job.MessageKey)
	if err != nil {
		s.refused(ctx, job, permanentError{"invalid"})
		return false
	}
	_ = conn.UpdateDeadline(s.opt.Timeout)
	if err := conn.Reset(); err != nil {
		s.refused(ctx, job, err)
		return true
	}
	if err := conn.Mail(s.opt.From); err != nil {
		s.refused(ctx, job, err)
		return !isReply(err)
	}
	if err := conn.Rcpt(job.Email); err != nil {
		s.refused(ctx, job, err)
		return !isReply(err)
	}
	w, err := conn.Data()
	if err != nil {
		s.refused(ctx, job, err)
		return !isReply(err)
	}
	if _, err := msg.WriteTo(w); err != nil {
		s.refused(ctx, job, err)
		return true
	}
	// Without a reply to the end of the message the relay may or may not
	// have it: a retry sends the same message again.
	if err := w.Close(); err != nil {
		s.refused(ctx, job, err)
		return !isReply(err)
	}
	if err := s.store.MailSent(context.WithoutCancel(ctx), job); err != nil {
		s.opt.Logger.Error("mail: sent, but cannot record it: the same message will go again", "err", err.Error())
		return false
	}
	s.opt.Logger.Debug("mail: message sent", "campaign", job.CampaignID, "kind", job.Kind)
	return false
}

// templates are the campaigns and messages of one batch, read once.
type templates map[int64]template

type template struct {
	c *survey.Campaign
	m *survey.MailSettings
}

func (tpl templates) of(ctx context.Context, st *survey.Store, campaignID int64) (template, error) {
	if t, ok := tpl[campaignID]; ok {
		return t, nil
	}
	c, err := st.Campaign(ctx, campaignID)
	if err != nil {
		return template{}, err
	}
	m, err := st.MailSettingsOf(ctx, campaignID)
	if err != nil {
		return template{}, err
	}
	tpl[campaignID] = template{c, m}
	return tpl[campaignID], nil
}

// permanentError is a refusal of ours that no retry would change.
type permanentError struct{ code string }

func (e permanentError) Error() string { return e.code }

// classify reduces an error to the relay's status code (its text may
// name the address, so it is never kept) and whether a retry is useless:
// 5xx replies are permanent, 4xx replies, timeouts and broken connections
// are retried.
func classify(err error) (code string, permanent bool) {
	var pe permanentError
	if errors.As(err, &pe) {
		return pe.code, true
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return strconv.Itoa(te.Code), te.Code >= 500
	}
	var de *survey.Error
	if errors.As(err, &de) {
		return string(de.Code), de.Code == survey.ENOTFOUND
	}
	return "network", false
}

// isReply tells a relay's reply (the connection still works) from a
// broken connection.
func isReply(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te)
}

// limiter spaces messages evenly: at most rate a minute, no burst.
type limiter struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{every: time.Minute / time.Duration(perMinute)}
}

// wait blocks until the next message may go.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	if l.next.Before(now) {
		l.next = now
	}
	at := l.next
	l.next = l.next.Add(l.every)
	l.mu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
