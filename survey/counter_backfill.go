package survey

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// BackfillIndexCounters fills the per-respondent index counters
// (counter_index.go) of the campaigns whose vectors predate them, from
// their raw responses, one campaign per transaction, and strikes each off
// index_backfill. Only the index counters are written, and only where the
// recount agrees with every other stored counter: a campaign whose
// answers were purged (retention) keeps zeros there, which the engine
// reads as "no interval", never as a figure.
func (s *Store) BackfillIndexCounters(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Raw(`SELECT campaign_id FROM index_backfill ORDER BY campaign_id`).Scan(&ids).Error; err != nil {
		return 0, storeError(err, "index backfill")
	}
	filled := 0
	for _, id := range ids {
		n, err := s.backfillCampaign(ctx, id)
		if err != nil {
			return filled, fmt.Errorf("index counters of campaign %d: %w", id, err)
		}
		filled += n
	}
	return filled, nil
}

// backfillCampaign recounts one campaign inside one transaction: its
// counter rows are locked first (PostgreSQL), so a response stored
// meanwhile either is in the recount or adds to the rewritten row after.
func (s *Store) backfillCampaign(ctx context.Context, id int64) (int, error) {
	filled := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var qid int64
		if err := tx.Raw(`SELECT questionnaire_id FROM campaigns WHERE id = ?`, id).Scan(&qid).Error; err != nil {
			return err
		}
		if qid != 0 { // a deleted campaign has nothing left to fill
			def, err := s.Definition(ctx, qid)
			if err != nil {
				return err
			}
			if filled, err = backfillRows(tx, id, def); err != nil {
				return err
			}
		}
		return tx.Exec(`DELETE FROM index_backfill WHERE campaign_id = ?`, id).Error
	})
	return filled, err
}

// backfillRows rewrites the counters rows of campaign id whose index
// counters differ from the recount while all the others agree.
func backfillRows(tx *gorm.DB, id int64, def *Definition) (int, error) {
	l := LayoutOf(def)
	q := `SELECT band, team_id, counts FROM counters WHERE campaign_id = ?`
	if tx.Dialector.Name() == Postgres {
		q += ` FOR UPDATE`
	}
	var rows []struct {
		Band   string
		TeamID int64
		Counts []byte
	}
	if err := tx.Raw(q, id).Scan(&rows).Error; err != nil {
		return 0, err
	}
	want, err := recount(tx, id, def, l)
	if err != nil {
		return 0, err
	}
	filled := 0
	for _, r := range rows {
		have, err := DecodeCounts(r.Counts, l.Len, nil)
		if err != nil {
			return filled, err
		}
		w := want[counterKey{id, r.Band, r.TeamID}]
		if w == nil || !slices.Equal(have[:l.Index], w[:l.Index]) || slices.Equal(have, w) {
			continue
		}
		if err := tx.Exec(`UPDATE counters SET counts = ? WHERE campaign_id = ? AND band = ? AND team_id = ?`,
			EncodeCounts(w), id, r.Band, r.TeamID).Error; err != nil {
			return filled, err
		}
		filled++
	}
	return filled, nil
}
