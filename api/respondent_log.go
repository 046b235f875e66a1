package api

import (
	"log/slog"
	"strings"
	"sync"
	"time"
)

// respondentTally stands in for the request lines of the respondent routes.
// A line per submission, even without token or address, would give each
// stored answer its exact time (the k-th line matches the k-th row), so
// these routes only add to counts, written once a minute with the minute
// they cover and nothing finer; /metrics counts them too.
type respondentTally struct {
	log *slog.Logger

	mu                                sync.Mutex
	minute                            time.Time // the minute the counts began
	pages, submitted, refused, failed int

	start, stop sync.Once
	quit, done  chan struct{}
}

func newRespondentTally(log *slog.Logger) *respondentTally {
	return &respondentTally{log: log, quit: make(chan struct{}), done: make(chan struct{})}
}

// respondentPath tells the routes a respondent uses. Fiber matches paths
// without regard to case or a trailing slash, so neither may escape it.
func respondentPath(path string) bool {
	p := strings.TrimSuffix(strings.ToLower(path), "/")
	return p == "/s" || strings.HasPrefix(p, "/s/") || p == "/api/v1/responses"
}

// count adds one finished respondent request by its outcome.
func (t *respondentTally) count(method, route string, status int) {
	t.start.Do(func() { go t.run() })
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pages+t.submitted+t.refused+t.failed == 0 {
		t.minute = time.Now().Truncate(time.Minute)
	}
	switch {
	case status >= 500:
		t.failed++
	case status >= 400:
		t.refused++
	case method == "POST" && (route == "/s/submit" || route == "/api/v1/responses"):
		t.submitted++
	default:
		t.pages++
	}
}

// run writes the counts at the end of every minute until close.
func (t *respondentTally) run() {
	defer close(t.done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := time.Now()
		timer.Reset(now.Truncate(time.Minute).Add(time.Minute).Sub(now))
		select {
		case <-timer.C:
			t.flush()
		case <-t.quit:
			t.flush()
			return
		}
	}
}

// flush writes one line with the counts gathered so far, if any.
func (t *respondentTally) flush() {
	t.mu.Lock()
	pages, submitted, refused, failed, minute := t.pages, t.submitted, t.refused, t.failed, t.minute
	t.pages, t.submitted, t.refused, t.failed = 0, 0, 0, 0
	t.mu.Unlock()
	if pages+submitted+refused+failed == 0 {
		return
	}
	t.log.Info("respondent requests", "minute", minute.Format("15:04"),
		"pages", pages, "submitted", submitted, "refused", refused, "failed", failed)
}

// close writes what is left; the app calls it on shutdown.
func (t *respondentTally) close() error {
	t.stop.Do(func() {
		started := true
		t.start.Do(func() { started = false })
		if !started {
			return
		}
		close(t.quit)
		<-t.done
	})
	return nil
}
