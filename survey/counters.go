package survey

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// counterKey names one counters row.
type counterKey struct {
	campaignID int64
	band       string
	teamID     int64
}

// addCounters adds one response to the counters of its team, once for
// everyone and once per answered profile band, inside the response's
// transaction: a response and its counts are stored together or not at all.
func addCounters(tx *gorm.DB, p *preparedResponse) error {
	l := LayoutOf(p.Def)
	delta := make([]int64, l.Len)
	l.TallyCodes(delta, p.Response.Codes)
	step := liveStep(p.Campaign)
	for _, band := range l.Bands(p.Response.Codes) {
		k := counterKey{p.Campaign.ID, band, p.Response.TeamID}
		if err := mergeCounters(tx, k, delta, step); err != nil {
			return fmt.Errorf("counters: %w", err)
		}
	}
	return nil
}

// liveStep is k for a campaign with live results, whose snapshots move in
// steps of k responses, and 0 otherwise.
func liveStep(c *Campaign) int {
	if c.LiveResults {
		return c.MinGroup
	}
	return 0
}

// mergeCounters adds delta to one row, creating it if needed. The row is
// read, then rewritten: SQLite transactions are immediate (one writer),
// and PostgreSQL locks the row with FOR UPDATE. When step > 0 and the
// row's response count reaches a multiple of step, the whole vector is
// copied into shown, the snapshot live results read.
func mergeCounters(tx *gorm.DB, k counterKey, delta []int64, step int) error {
	cur, found, err := lockCounters(tx, k, len(delta))
	if err != nil {
		return err
	}
	if !found {
		res := tx.Exec(`INSERT INTO counters (campaign_id, band, team_id, counts) VALUES (?, ?, ?, ?)
			ON CONFLICT (campaign_id, band, team_id) DO NOTHING`, k.campaignID, k.band, k.teamID, EncodeCounts(delta))
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		// Another transaction created the row first: lock it and add.
		if cur, _, err = lockCounters(tx, k, len(delta)); err != nil {
			return err
		}
	}
	AddCounts(cur, delta)
	blob := EncodeCounts(cur)
	if step > 0 && cur[CountResponses]%int64(step) == 0 {
		if k.band == "" {
			if err := markSnapshot(tx, k); err != nil {
				return err
			}
		}
		return tx.Exec(`UPDATE counters SET counts = ?, shown = ? WHERE campaign_id = ? AND band = ? AND team_id = ?`,
			blob, blob, k.campaignID, k.band, k.teamID).Error
	}
	return tx.Exec(`UPDATE counters SET counts = ? WHERE campaign_id = ? AND band = ? AND team_id = ?`,
		blob, k.campaignID, k.band, k.teamID).Error
}

// markSnapshot records which answers a team's new live snapshot holds:
// its answers not in a snapshot yet get the epoch N, the number of answers
// every snapshot of the campaign holds from now on (so snapshot state N is
// the answers of epoch 1..N). The disclosure decision reads it.
func markSnapshot(tx *gorm.DB, k counterKey) error {
	var n int64
	err := tx.Raw(`SELECT COUNT(*) FROM responses WHERE campaign_id = ? AND (snapshot_epoch > 0 OR team_id = ?)`, k.campaignID, k.teamID).Scan(&n).Error
	if err != nil {
		return err
	}
	return tx.Exec(`UPDATE responses SET snapshot_epoch = ? WHERE campaign_id = ? AND team_id = ? AND snapshot_epoch = 0`,
		n, k.campaignID, k.teamID).Error
}

// lockCounters reads one row's vector, locking the row on PostgreSQL.
func lockCounters(tx *gorm.DB, k counterKey, width int) ([]int64, bool, error) {
	q := `SELECT counts FROM counters WHERE campaign_id = ? AND band = ? AND team_id = ?`
	if tx.Dialector.Name() == Postgres {
		q += ` FOR UPDATE`
	}
	rows, err := tx.Raw(q, k.campaignID, k.band, k.teamID).Rows()
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, false, rows.Err()
	}
	var blob []byte
	if err := rows.Scan(&blob); err != nil {
		return nil, false, err
	}
	v, err := DecodeCounts(blob, width, nil)
	return v, true, err
}

// CounterRows are the counters of one campaign and band, one vector per
// team that has responses, in one slab.
type CounterRows struct {
	Teams  []int64
	Counts [][]int64
}

// Counters reads the counters of campaign for band ("" for everyone).
// With shown, it reads the live-results snapshots instead, and teams
// without one are left out.
func (s *Store) Counters(ctx context.Context, campaignID int64, def *Definition, band string, shown bool) (*CounterRows, error) {
	out := &CounterRows{}
	err := s.EachCounters(ctx, campaignID, def, band, shown, func(team int64, v []int64) {
		out.Teams = append(out.Teams, team)
		out.Counts = append(out.Counts, slices.Clone(v))
	})
	return out, err
}

// EachCounters is Counters without the copies: fn receives each team's
// vector in a buffer it must not keep, which is what a rollup needs.
func (s *Store) EachCounters(ctx context.Context, campaignID int64, def *Definition, band string, shown bool, fn func(team int64, v []int64)) error {
	col := "counts"
	if shown {
		col = "shown"
	}
	db, err := s.read.DB()
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, s.rebind(`SELECT team_id, `+col+` FROM counters
		WHERE campaign_id = ? AND band = ? AND `+col+` IS NOT NULL ORDER BY team_id`), campaignID, band)
	if err != nil {
		return storeError(err, "counters")
	}
	defer rows.Close()
	v := make([]int64, LayoutOf(def).Len)
	var blob []byte
	for rows.Next() {
		var team int64
		if err := rows.Scan(&team, &blob); err != nil {
			return storeError(err, "counters")
		}
		if _, err := DecodeCounts(blob, len(v), v); err != nil {
			return Errorf(EINTERNAL, "counters of campaign %d, team %d, band %q: %v", campaignID, team, band, err)
		}
		fn(team, v)
	}
	return storeError(rows.Err(), "counters")
}

// rebind turns ? placeholders into PostgreSQL's $n, for queries run on
// the plain connection pool rather than through GORM.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
