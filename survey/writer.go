package survey

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Writer commits submissions in groups: one goroutine takes every
// submission that arrives while the previous commit runs (up to MaxBatch)
// and writes them in one transaction, each inside its own savepoint, so a
// bad submission never fails its neighbours. Each caller is answered only
// after the commit, so an acknowledged answer is durable. SQLite has one
// writer anyway; this turns its fsync per answer into an fsync per group.
type Writer struct {
	db       *gorm.DB
	jobs     chan *writeJob
	maxBatch int
	stopOnce sync.Once
	stopped  chan struct{}
	mu       sync.RWMutex // guards closing jobs against late senders
	closed   bool
	observe  func(size int, took time.Duration)
	timeout  time.Duration // of each batch's transaction
	stored   func()        // after a commit that stored answers: wakes the mixer
	remember func(*preparedResponse)
	store    *Store // whose mixing stage the writer's transactions flush when due
}

type writeJob struct {
	ctx  context.Context
	p    *preparedResponse
	done chan error
}

// ErrWriterClosed is returned for a submission that arrives during shutdown.
var ErrWriterClosed = Errorf(EUNAVAILABLE, "the server is shutting down: please submit again in a moment")

// StartWriter makes Submit go through a group-commit writer; Close stops it
// after committing what is pending. observe, when set, sees each batch.
func (s *Store) StartWriter(maxBatch int, observe func(size int, took time.Duration)) {
	if maxBatch < 1 {
		maxBatch = 1
	}
	s.startMixer()
	w := &Writer{db: s.db, jobs: make(chan *writeJob, 4*maxBatch), maxBatch: maxBatch, stopped: make(chan struct{}), observe: observe, stored: s.mixer.poke, timeout: s.timeout,
		remember: s.caches.opened.remember, store: s}
	s.writer = w
	go w.loop()
}

// submit hands one prepared response to the writer and waits for its commit.
func (w *Writer) submit(ctx context.Context, p *preparedResponse) error {
	job := &writeJob{ctx: ctx, p: p, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrWriterClosed
	}
	w.jobs <- job
	w.mu.RUnlock()
	// Once queued, the job is written even if the client goes away, so the
	// wait is not cut short by ctx: an answer is committed or refused, never lost.
	return <-job.done
}

func (w *Writer) loop() {
	defer close(w.stopped)
	batch := make([]*writeJob, 0, w.maxBatch)
	for first := range w.jobs {
		batch = append(batch[:0], first)
	collect:
		for len(batch) < w.maxBatch {
			select {
			case j, ok := <-w.jobs:
				if !ok {
					break collect
				}
				batch = append(batch, j)
			default:
				break collect
			}
		}
		w.commit(batch)
	}
}

// commit writes one batch in one transaction. Refusals leave the
// transaction clean (see writeResponse), so the batch first runs without
// savepoints; only if a statement fails unexpectedly is it written again
// with a savepoint per submission, so that one failure stays its own.
func (w *Writer) commit(batch []*writeJob) {
	start := time.Now()
	results := make([]error, len(batch))
	flush := w.store != nil && w.store.dialect == SQLite && w.store.mixer.flushDue()
	moved := 0
	write := func(savepoints bool) func(tx *gorm.DB) error {
		return func(tx *gorm.DB) error {
			if flush {
				moved = w.store.flushInWriter(tx, writerFlushSlice(len(batch)))
			}
			return writeBatch(tx, batch, results, savepoints)
		}
	}
	err := w.transaction(write(false))
	if err != nil && !isConnectionError(err) {
		err = w.transaction(write(true))
	}
	stored := false
	for i, j := range batch {
		if err != nil {
			j.done <- unavailable(err)
		} else {
			if results[i] == nil {
				stored = true
				w.remember(j.p)
			}
			j.done <- storeError(results[i], "response")
		}
	}
	if stored && w.store != nil {
		w.store.mixer.waiting.Store(true)
	}
	if (stored || moved > 0) && w.stored != nil {
		w.stored() // the mixer checkpoints the WAL, or flushes once the writer is quiet
	}
	if w.observe != nil {
		w.observe(len(batch), time.Since(start))
	}
}

// transaction runs fn in one transaction bounded by the writer's timeout,
// so a database that stops answering fails the batch (503) instead of
// holding every submission behind it.
func (w *Writer) transaction(fn func(tx *gorm.DB) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
	defer cancel()
	return w.db.WithContext(ctx).Transaction(fn)
}

// writeBatch writes every job of a batch, recording each one's outcome.
// Counters move later, when the answers leave the mixing stage.
func writeBatch(tx *gorm.DB, batch []*writeJob, results []error, savepoints bool) error {
	if savepoints {
		return writeEachInSavepoint(tx, batch, results)
	}
	rows := &rowWriter{tx: tx, states: map[int64]*Campaign{}} // writeAll prepares nothing
	return rows.writeAll(batch, results)
}

// writeEachInSavepoint is the slow path after an unexpected failure: each
// submission in its own savepoint, so that one failure stays its own.
func writeEachInSavepoint(tx *gorm.DB, batch []*writeJob, results []error) error {
	for i, j := range batch {
		results[i] = writeInSavepoint(tx, i, j.p)
		if isConnectionError(results[i]) {
			return results[i]
		}
	}
	return nil
}

// Close stops taking submissions, commits the pending ones and returns
// when the last commit is done.
func (w *Writer) Close() {
	w.stopOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		close(w.jobs)
		w.mu.Unlock()
		<-w.stopped
	})
}

// isConnectionError tells a failed statement from a lost connection or
// database, after which the whole transaction is void.
func isConnectionError(err error) bool {
	if err == nil {
		return false
	}
	var de *Error
	return !errors.As(err, &de) && ErrorCode(unavailable(err)) == EUNAVAILABLE
}

// writeInSavepoint writes one submission so that its failure rolls back
// only its own statements.
func writeInSavepoint(tx *gorm.DB, i int, p *preparedResponse) error {
	name := fmt.Sprintf("s%d", i)
	if err := tx.SavePoint(name).Error; err != nil {
		return err
	}
	if err := writeResponse(tx, p); err != nil {
		if rb := tx.RollbackTo(name).Error; rb != nil {
			return rb
		}
		return err
	}
	return nil
}
