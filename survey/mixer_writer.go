package survey

import (
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// Under load the flush rides in the writer's own transaction: a separate
// flush transaction holds SQLite's only write connection for a commit
// (an fsync) of its own, every submission waiting behind it, whereas the
// writer commits anyway. The flush part runs before the batch's answers
// are written, so it moves only answers committed earlier, of teams with
// at least k waiting: a commit then holds new consumptions and sealed rows
// plus batches of at least k older answers per team, and ties no
// invitation to an answer closer than a separate flush would. When the
// writer goes quiet, the background mixer flushes what is left (mixer_loop.go).
//
// PostgreSQL has no single write connection: there the writer carries no
// flush, and the background mixer flushes on a connection of its own while
// the writer commits, choosing among its cache the same way between reads
// of the whole stage (flushFromCache). A flush in the writer's transaction
// doubled its round trips, and with them the submissions' latency.

// writerFlushLimit bounds the answers one writer transaction moves (whole
// teams, so a little more), so that the batch it rides with is not held
// long: measured, 512 answers added 40 to 80 ms to a commit, enough to
// double the submissions' p99. What is left goes with the next commits.
const writerFlushLimit = 128

// writerFlushSlice is how many answers the flush riding with a batch of
// size answers moves at most: twice the batch, so that the stage drains
// faster than it fills, and the flush work is spread over the commits in
// slices the size of their batches rather than piled on one commit in
// four (the tail of the latencies: a commit carrying 128 answers took five
// times a plain one).
func writerFlushSlice(size int) int {
	return min(writerFlushLimit, max(2*size, writerFlushMin))
}

// writerFlushMin is the least slice: a few teams of k.
const writerFlushMin = 32

// flushDue says whether the next writer transaction should carry a flush:
// while answers wait, every one does. A flush in each commit moves about
// as many answers as the commit stores, so the stage pages it frees (and
// secure_delete zeroes) are mostly taken again by the sealed rows of the
// same commit, and written once rather than twice; commits also stay of
// one size, where a flush every mixPause piled its work on one commit in
// three. Measured on the load test: 3 KB fewer written per answer, of
// about 48 (README, Performance).
func (m *mixer) flushDue() bool {
	return m.more.Load() || m.waiting.Load()
}

// flushInWriter moves what is due inside the writer's transaction tx, in a
// savepoint: a flush that fails is rolled back alone and logged, and never
// fails the submissions it rode with (their answers stay staged).
func (s *Store) flushInWriter(tx *gorm.DB, limit int) int {
	s.mixer.lastFlush.Store(time.Now().UnixNano())
	if err := tx.SavePoint("mix").Error; err != nil {
		return 0
	}
	n, err := s.flushOpenCampaigns(tx, limit)
	s.mixer.more.Store(err == nil && n >= limit)
	if err != nil {
		// The cache may hold answers another process moved: the next
		// flush reads the whole stage, which drops them from it.
		s.mixer.lastStageRead.Store(0)
		slog.Error("mixing stage: flush failed", "err", err)
		if rb := tx.RollbackTo("mix").Error; rb != nil {
			slog.Error("mixing stage: rollback failed", "err", rb)
		}
		return 0
	}
	return n
}

// stageReadEvery is how often the writer's flush reads the whole stage.
// In between it chooses from the answers this process sealed (its cache,
// pending_cache.go) and only checks that they still wait: reading the ids
// of every waiting answer to each commit cost more than the answers the
// commit moved. Answers another instance or an earlier run left wait at
// most this long, or for the background mixer.
const stageReadEvery = 2 * time.Second

// flushOpenCampaigns flushes the open campaigns with answers waiting (teams
// with at least k), up to limit answers in all; closed ones are
// left to the background mixer, which moves all of a campaign at once. On
// PostgreSQL a campaign another instance is flushing is skipped, not waited for.
func (s *Store) flushOpenCampaigns(tx *gorm.DB, limit int) (int, error) {
	whole := time.Since(time.Unix(0, s.mixer.lastStageRead.Load())) >= stageReadEvery
	var ids []int64
	if whole {
		s.mixer.lastStageRead.Store(time.Now().UnixNano())
		if err := tx.Raw("SELECT DISTINCT campaign_id FROM pending_responses").Scan(&ids).Error; err != nil {
			return 0, err
		}
		if len(ids) == 0 {
			s.mixer.waiting.Store(false)
		}
	} else {
		ids = s.caches.opened.campaigns()
	}
	ctx := tx.Statement.Context
	total := 0
	for _, id := range ids {
		c, err := s.submitCampaign(ctx, id)
		if err != nil {
			return total, err
		}
		if c.Phase(s.Today()) == PhaseClosed {
			s.mixer.poke()
			continue
		}
		def, err := s.Definition(ctx, c.QuestionnaireID)
		if err != nil {
			return total, err
		}
		if s.dialect == Postgres {
			var got bool
			if err := tx.Raw("SELECT pg_try_advisory_xact_lock(?, CAST(? AS INTEGER))", mixLockKey, c.ID).Scan(&got).Error; err != nil || !got {
				continue
			}
		}
		var n int
		if whole {
			n, _, err = s.flushLocked(tx, c, def, false, limit-total)
		} else {
			n, err = s.flushCached(tx, c, def, limit-total)
		}
		if err != nil {
			return total, err
		}
		if total += n; total >= limit {
			break
		}
	}
	return total, nil
}

// flushCached is flushLocked choosing among the answers of campaign c this
// process sealed, rather than reading the whole stage: teams with at least
// k of them, up to limit answers. It does not first check that they still
// wait: the stage's delete, moveBatch's first statement, counts the rows it
// removed, and a shortfall (another process moved some) fails the flush,
// which flushInWriter rolls back, the next reading the whole stage.
func (s *Store) flushCached(tx *gorm.DB, c *Campaign, def *Definition, limit int) (int, error) {
	batch, _ := mixBatch(s.caches.opened.waiting(c.ID), c.MinGroup, false, limit)
	if len(batch) == 0 {
		return 0, nil
	}
	return len(batch), s.moveBatch(tx, c, def, batch)
}
