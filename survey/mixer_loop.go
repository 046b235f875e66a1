package survey

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// mixPause is the least time between two background flushes: answers
	// that arrive meanwhile join one flush, and SQLite checkpoints its WAL
	// at most this often.
	mixPause = 250 * time.Millisecond
	// mixSweep is how often the mixer looks for campaigns that closed by
	// date with answers still waiting.
	mixSweep = time.Minute
)

// mixer runs flushes in the background, off the submitters' path: the
// writer kicks it after each commit that stored answers.
type mixer struct {
	lastFlush     atomic.Int64 // unix nanoseconds of the last flush the writer carried
	lastStageRead atomic.Int64 // and of the last one that read the whole stage (stageReadEvery)
	waiting       atomic.Bool  // answers stored since the stage was last seen empty
	more          atomic.Bool  // the writer's last flush stopped at its limit
	kick          chan struct{}
	stop          chan struct{}
	done          chan struct{}
	stopOnce      sync.Once
}

// startMixer starts the background flushes; Close stops them.
func (s *Store) startMixer() {
	if s.mixer != nil {
		return
	}
	m := &mixer{kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	s.mixer = m
	go s.mixLoop(m)
	m.poke() // answers left waiting by the last run
}

// poke asks for a flush soon, without waiting for it.
func (m *mixer) poke() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

func (m *mixer) close() {
	m.stopOnce.Do(func() {
		close(m.stop)
		<-m.done
	})
}

func (s *Store) mixLoop(m *mixer) {
	defer close(m.done)
	sweep := time.NewTicker(mixSweep)
	defer sweep.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-m.kick:
		case <-sweep.C:
		}
		if time.Since(time.Unix(0, m.lastFlush.Load())) < mixPause {
			// The writer carries the flushes while submissions flow: only
			// checkpoint, and look again after the pause, so that what its
			// last commits staged is flushed here once it is quiet.
			s.truncateWAL(context.Background())
			m.poke()
			goto pause
		}
		if err := s.mixOnce(m); err != nil && !errors.Is(err, context.Canceled) {
			// The answers stay safely in the stage; the next kick retries.
			slog.Error("mixing stage: flush failed", "err", err)
		}
	pause:
		select {
		case <-m.stop:
			return
		case <-time.After(mixPause):
		}
	}
}

// mixOnce runs one background flush under a deadline (a database that
// stops answering must not hold the loop, nor Close, for ever) that Close
// also cancels. A flush may move a whole wave at closing, so its deadline
// is several request deadlines.
func (s *Store) mixOnce(m *mixer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*s.timeout)
	defer cancel()
	go func() {
		select {
		case <-m.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	_, err := s.MixPending(ctx)
	return err
}

// truncateWAL checkpoints SQLite's WAL into the database and empties it
// after a flush, so that the log no longer holds the consumption commits
// of the answers just moved. Best effort: readers may hold it back, and a
// short busy timeout keeps the write connection from waiting on them.
func (s *Store) truncateWAL(ctx context.Context) {
	if s.dialect != SQLite || s.inTx {
		return // inside InTransaction the one write connection is taken: the commit's caller checkpoints later
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	sqlDB, err := s.db.DB()
	if err != nil {
		return
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 50"); err != nil {
		return
	}
	var busy, logFrames, done int
	_ = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
	_, _ = conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000")
}
