package mailer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/wneessen/go-mail/smtp"

	"digigap/survey"
)

// Options configure a Sender. Zero values take the defaults.
type Options struct {
	Relay   *Relay
	From    string // the From address, e.g. enquete@bank.example
	BaseURL string // the public address personal links are built on
	// Rate is the most messages a minute this instance sends (default 120,
	// what corporate relays usually accept from one application).
	Rate int
	// Lease is how long a claimed message stays reserved to this instance
	// (default 2 minutes): another instance takes it over after that.
	Lease time.Duration
	// Poll is how often an idle sender looks for new messages (default 2 s).
	Poll time.Duration
	// Backoff is the wait before retry number attempt (default: 1, 2, 4…
	// minutes, at most an hour); MaxAttempts temporary refusals make a
	// message failed (default 8).
	Backoff     func(attempt int) time.Duration
	MaxAttempts int
	Timeout     time.Duration // per SMTP exchange (default 30 s)
	Logger      *slog.Logger
}

// DefaultRate suits a corporate relay: two messages a second.
const DefaultRate = 120

// Sender empties the outbox through the relay. Several may run against
// one PostgreSQL database; on SQLite one instance sends.
type Sender struct {
	store *survey.Store
	opt   Options
	owner string
	limit *limiter
	wake  chan struct{}
}

// New prepares a sender; Run starts it.
func New(st *survey.Store, opt Options) *Sender {
	if opt.Rate <= 0 {
		opt.Rate = DefaultRate
	}
	if opt.Lease <= 0 {
		opt.Lease = 2 * time.Minute
	}
	if opt.Poll <= 0 {
		opt.Poll = 2 * time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = func(a int) time.Duration { return min(time.Minute<<min(a-1, 6), time.Hour) }
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Sender{store: st, opt: opt, owner: hex.EncodeToString(b), limit: newLimiter(opt.Rate), wake: make(chan struct{}, 1)}
}

// Wake makes an idle sender look at the outbox now (HR just queued).
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends. It first takes back what a previous run of
// this instance left claimed (SQLite), and forgets the addresses of
// closed campaigns every minute.
func (s *Sender) Run(ctx context.Context) {
	if n, err := s.store.ReleaseOrphans(ctx); err != nil {
		s.opt.Logger.Error("mail: cannot release messages of the previous run", "err", err.Error())
	} else if n > 0 {
		s.opt.Logger.Info("mail: messages left by the previous run queued again", "count", n)
	}
	var swept time.Time
	for ctx.Err() == nil {
		if time.Since(swept) > time.Minute {
			swept = time.Now()
			if n, err := s.store.SweepMail(ctx); err != nil {
				s.opt.Logger.Error("mail: sweep", "err", err.Error())
			} else if n > 0 {
				s.opt.Logger.Info("mail: addresses forgotten", "count", n)
			}
		}
		jobs, err := s.store.ClaimMail(ctx, s.owner, s.batch(), s.opt.Lease)
		if err != nil {
			s.opt.Logger.Error("mail: cannot claim messages", "err", err.Error())
		}
		if len(jobs) > 0 {
			s.sendBatch(ctx, jobs)
			continue
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-time.After(s.opt.Poll):
		}
	}
}

// batch is how many messages to claim at once: what the rate lets this
// instance send within half a lease, so that no claim expires while it
// waits its turn (from 1 to 10).
func (s *Sender) batch() int {
	return max(1, min(10, int(float64(s.opt.Rate)*s.opt.Lease.Minutes()/2)))
}

// sendBatch sends claimed jobs over one connection, dialling again after
// a broken one; what is left when ctx ends goes back to the queue.
func (s *Sender) sendBatch(ctx context.Context, jobs []survey.MailJob) {
	var conn *smtp.Client
	defer func() {
		if conn != nil {
			_ = conn.Quit()
			_ = conn.Close()
		}
	}()
	tpl := templates{}
	for _, job := range jobs {
		if err := s.limit.wait(ctx); err != nil {
			s.release(job)
			continue
		}
		if conn == nil {
			var err error
			if conn, err = s.dial(ctx); err != nil {
				s.refused(ctx, job, err)
				conn = nil
				continue
			}
		}
		if broken := s.sendOne(ctx, conn, job, tpl); broken {
			_ = conn.Close()
			conn = nil
		}
	}
}

func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	c, err := s.opt.Relay.client(s.opt.Timeout)
	if err != nil {
		return nil, err
	}
	return c.DialToSMTPClientWithContext(ctx)
}

// release puts a job back without counting an attempt against the relay.
func (s *Sender) release(job survey.MailJob) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = s.store.MailRetry(ctx, job, "", s.store.Now())
}

// refused records a refusal: retried later with the same message, or
// failed for good (5xx, or the last attempt).
func (s *Sender) refused(ctx context.Context, job survey.MailJob, err error) {
	code, permanent := classify(err)
	if !permanent && job.Attempt >= s.opt.MaxAttempts {
		permanent = true
	}
	var e error
	if permanent {
		e = s.store.MailFailed(context.WithoutCancel(ctx), job, code)
	} else {
		e = s.store.MailRetry(context.WithoutCancel(ctx), job, code, s.store.Now().Add(s.opt.Backoff(job.Attempt)))
	}
	if e != nil {
		s.opt.Logger.Error("mail: cannot record a refusal", "err", e.Error())
	}
	s.opt.Logger.Warn("mail: message refused", "campaign", job.CampaignID, "kind", job.Kind, "status", code, "permanent", permanent, "attempt", job.Attempt)
}

// ErrNotConfigured says no relay was given: HR hands out the CSV instead.
var ErrNotConfigured = errors.New("no mail server configured")
