package survey

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

const (
	// mixPause is the least time between two background flushes: answers
	// that arrive meanwhile join one flush, and SQLite checkpoints its WAL
	// at most this often.
	mixPause = 250 * time.Millisecond
	// flushGap replaces mixPause on PostgreSQL, whose mixer flushes on a
	// connection of its own: one transaction a pass, a pass every 30 ms
	// while answers arrive, so that the flushes come between the writer's
	// commits rather than in a burst after each mixPause, back to back,
	// holding the database's second core for a few hundred milliseconds
	// while the answers gathered meanwhile moved. On the load test, run
	// in turn with the bursts (three runs each): p99 44.5, 47.9 and 52.7
	// ms against 45.7, 49.5 and 51.7, within that machine's noise; the
	// database's work is spread, not less.
	flushGap = 30 * time.Millisecond
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
		pause := mixPause
		if s.dialect == Postgres {
			pause = flushGap
		}
		if time.Since(time.Unix(0, m.lastFlush.Load())) < mixPause {
			// The writer carries the flushes while submissions flow: only
			// checkpoint, and look again after the pause, so that what its
			// last commits staged is flushed here once it is quiet.
			s.truncateWAL(context.Background())
			m.poke()
		} else if more, err := s.mixOnce(m); err != nil && !errors.Is(err, context.Canceled) {
			// The answers stay safely in the stage; the next kick retries.
			slog.Error("mixing stage: flush failed", "err", err)
		} else if more {
			m.poke()
		}
		select {
		case <-m.stop:
			return
		case <-time.After(pause):
		}
	}
}

// mixOnce runs one background flush under a deadline (a database that
// stops answering must not hold the loop, nor Close, for ever) that Close
// also cancels. A flush may move a whole wave at closing, so its deadline
// is several request deadlines. On PostgreSQL it reads the whole stage,
// after a vacuum, every stageReadEvery, and flushes from its cache in
// between (flushFromCache), one transaction a pass: more says teams are
// still due.
func (s *Store) mixOnce(m *mixer) (more bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*s.timeout)
	defer cancel()
	go func() {
		select {
		case <-m.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	if s.dialect == Postgres && time.Since(time.Unix(0, m.lastStageRead.Load())) < stageReadEvery {
		return s.flushFromCache(ctx)
	}
	m.lastStageRead.Store(time.Now().UnixNano())
	if s.dialect == Postgres {
		// The stage's deleted rows, each most of a page, stay in its table
		// and index until a vacuum, and every read of the stage visits
		// them: autovacuum looks at a database once a minute, a stage under
		// load gathers thousands by then (its read went from 13 to 124 ms).
		if err := s.db.WithContext(ctx).Exec("VACUUM (SKIP_LOCKED) pending_responses").Error; err != nil {
			return false, storeError(err, "mixing stage")
		}
	}
	_, err = s.MixPending(ctx)
	return false, err
}

// flushFromCache is the PostgreSQL mixer's flush between two reads of the
// whole stage (stageReadEvery): teams of open campaigns with k answers
// among those this process sealed, as the SQLite writer's flush chooses
// them (flushOpenCampaigns), at most flushLimit answers in one
// transaction; more says it stopped at that limit. Reading the ids of
// every waiting answer cost the database more than the moves (23 ms a
// read at 2,500 answers a second: each sealed row fills most of a page).
// A flush that finds answers another process moved is rolled back, and
// the next pass reads the whole stage.
func (s *Store) flushFromCache(ctx context.Context) (more bool, err error) {
	var n int
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) (err error) {
		n, err = s.flushOpenCampaigns(tx, flushLimit)
		return err
	})
	if err != nil {
		s.mixer.lastStageRead.Store(0)
		return false, storeError(err, "mixing stage")
	}
	return n >= flushLimit, nil
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
