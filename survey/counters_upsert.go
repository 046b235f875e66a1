package survey

import (
	"strings"

	"gorm.io/gorm"
)

// CounterRow is one counters row's new vector, for WriteCounterRows.
type CounterRow struct {
	CampaignID int64
	Band       string
	TeamID     int64
	Counts     []int64
}

// WriteCounterRows rewrites rows already read (and, on PostgreSQL, locked)
// in the caller's transaction with a few multi-row statements instead of
// one UPDATE each: a flush or a batch touches hundreds of rows. Shared with
// the load test's floor, which must do the same work.
func WriteCounterRows(tx *gorm.DB, rows []CounterRow) error {
	for len(rows) > 0 {
		chunk := rows[:min(100, len(rows))]
		rows = rows[len(chunk):]
		q := "INSERT INTO counters (campaign_id, band, team_id, counts) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(chunk)), ", ") +
			" ON CONFLICT (campaign_id, band, team_id) DO UPDATE SET counts = excluded.counts"
		args := make([]any, 0, 4*len(chunk))
		for _, r := range chunk {
			args = append(args, r.CampaignID, r.Band, r.TeamID, EncodeCounts(r.Counts))
		}
		if err := tx.Exec(q, args...).Error; err != nil {
			return err
		}
	}
	return nil
}
