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

// sendOne sends one claimed message over conn. The token is created here
// and exists only in the message: its hash is stored, with the message
// marked sent, before the relay gets the end of the message, so a crash
// at any point leaves either a sent message with its invitation, or an
// unfinished one the relay drops. It reports whether conn is unusable.
func (s *Sender) sendOne(ctx context.Context, conn *smtp.Client, job survey.MailJob) (broken bool) {
	c, err := s.store.Campaign(ctx, job.CampaignID)
	if err != nil {
		s.refused(ctx, job, err)
		return false
	}
	m, err := s.store.MailSettingsOf(ctx, job.CampaignID)
	if err != nil {
		s.refused(ctx, job, err)
		return false
	}
	token := survey.NewToken()
	msg, err := compose(s.opt.From, job.Email, m.Render(c, survey.InvitationLink(s.opt.BaseURL, token)), s.store.Now())
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
	hash := survey.HashToken(token)
	if err := s.store.MailDelivered(context.WithoutCancel(ctx), job, hash); err != nil {
		// Not recorded as sent: drop the connection, the relay discards
		// the unfinished message. The claim ends with its lease.
		if !errors.Is(err, survey.ErrLeaseLost) {
			s.opt.Logger.Error("mail: cannot record a message as sent; it was not sent", "err", err.Error())
		}
		return true
	}
	if err := w.Close(); err != nil {
		code, permanent := classify(err)
		permanent = permanent || job.Attempt >= s.opt.MaxAttempts
		retry := s.store.Now().Add(s.opt.Backoff(job.Attempt))
		if e := s.store.MailUndo(context.WithoutCancel(ctx), job, hash, code, permanent, retry); e != nil {
			s.opt.Logger.Error("mail: cannot take back a refused message", "err", e.Error())
		}
		s.opt.Logger.Warn("mail: message refused at its end", "campaign", job.CampaignID, "kind", job.Kind, "status", code, "permanent", permanent, "attempt", job.Attempt)
		return !isReply(err)
	}
	s.opt.Logger.Debug("mail: message sent", "campaign", job.CampaignID, "kind", job.Kind)
	return false
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
