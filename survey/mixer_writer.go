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

// writerFlushLimit bounds the answers one writer transaction moves (whole
// teams, so a little more), so that the batch it rides with is not held
// long: measured, 512 answers added 40 to 80 ms to a commit, enough to
// double the submissions' p99. What is left goes with the next commits.
const writerFlushLimit = 128

// flushDue says whether the next writer transaction should carry a flush:
// answers were stored since the last one, at least mixPause ago, or the
// last one left teams with k answers for the next.
func (m *mixer) flushDue() bool {
	if m.more.Load() {
		return true
	}
	return m.waiting.Load() && time.Since(time.Unix(0, m.lastFlush.Load())) >= mixPause
}

// flushInWriter moves what is due inside the writer's transaction tx, in a
// savepoint: a flush that fails is rolled back alone and logged, and never
// fails the submissions it rode with (their answers stay staged).
func (s *Store) flushInWriter(tx *gorm.DB) int {
	s.mixer.lastFlush.Store(time.Now().UnixNano())
	if err := tx.SavePoint("mix").Error; err != nil {
		return 0
	}
	n, err := s.flushOpenCampaigns(tx)
	s.mixer.more.Store(err == nil && n >= writerFlushLimit)
	if err != nil {
		slog.Error("mixing stage: flush failed", "err", err)
		if rb := tx.RollbackTo("mix").Error; rb != nil {
			slog.Error("mixing stage: rollback failed", "err", rb)
		}
		return 0
	}
	return n
}

// flushOpenCampaigns flushes the open campaigns with answers waiting (teams
// with at least k), up to writerFlushLimit answers in all; closed ones are
// left to the background mixer, which moves all of a campaign at once. On
// PostgreSQL a campaign another instance is flushing is skipped, not waited for.
func (s *Store) flushOpenCampaigns(tx *gorm.DB) (int, error) {
	var ids []int64
	if err := tx.Raw("SELECT DISTINCT campaign_id FROM pending_responses").Scan(&ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		s.mixer.waiting.Store(false)
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
		n, _, err := s.flushLocked(tx, c, def, false, writerFlushLimit-total)
		if err != nil {
			return total, err
		}
		if total += n; total >= writerFlushLimit {
			break
		}
	}
	return total, nil
}
