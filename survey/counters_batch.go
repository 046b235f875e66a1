package survey

import (
	"cmp"
	"database/sql"
	"errors"
	"slices"

	"gorm.io/gorm"
)

// counterBatch adds up the counters of a group-commit batch, so that each
// counters row is read and rewritten once per batch instead of once per
// response: many answers of one team in the same few milliseconds cost one
// update. Rows are written in key order, so two instances sharing one
// PostgreSQL database always lock them in the same order.
type counterBatch struct {
	deltas map[counterKey][]int64
}

func newCounterBatch() *counterBatch {
	return &counterBatch{deltas: map[counterKey][]int64{}}
}

// add counts one written response. Campaigns with live results take
// snapshots at exact multiples of k, so their responses are counted one by
// one, at once.
func (b *counterBatch) add(tx *gorm.DB, p *preparedResponse) error {
	if liveStep(p.Campaign) > 0 {
		return addCounters(tx, p)
	}
	l := LayoutOf(p.Def)
	delta := make([]int64, l.Len)
	l.TallyCodes(delta, p.Response.Codes)
	for _, band := range l.Bands(p.Response.Codes) {
		k := counterKey{p.Campaign.ID, band, p.Response.TeamID}
		if b.deltas[k] == nil {
			b.deltas[k] = make([]int64, l.Len)
		}
		AddCounts(b.deltas[k], delta)
	}
	return nil
}

// flush writes every summed row: one read of the batch's rows, then one
// prepared update per row.
func (b *counterBatch) flush(tx *gorm.DB) error {
	keys := make([]counterKey, 0, len(b.deltas))
	for k := range b.deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y counterKey) int {
		return cmp.Or(cmp.Compare(x.campaignID, y.campaignID), cmp.Compare(x.band, y.band), cmp.Compare(x.teamID, y.teamID))
	})
	stmts, err := prepareCounterStatements(tx)
	if err != nil {
		return err
	}
	defer stmts.close()
	current, err := readCounterRows(tx, keys)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := stmts.merge(tx, k, b.deltas[k], current[k]); err != nil {
			return err
		}
	}
	return nil
}

// readCounterRows reads, in one query per campaign, the rows a batch will
// update (a superset: every band × team pair of the batch), locking them on
// PostgreSQL.
func readCounterRows(tx *gorm.DB, keys []counterKey) (map[counterKey][]byte, error) {
	byCampaign := map[int64][]counterKey{}
	for _, k := range keys {
		byCampaign[k.campaignID] = append(byCampaign[k.campaignID], k)
	}
	out := make(map[counterKey][]byte, len(keys))
	for campaign, ks := range byCampaign {
		bands, teams := map[string]bool{}, map[int64]bool{}
		for _, k := range ks {
			bands[k.band], teams[k.teamID] = true, true
		}
		q := "SELECT band, team_id, counts FROM counters WHERE campaign_id = ? AND band IN ? AND team_id IN ? ORDER BY band, team_id"
		if tx.Dialector.Name() == Postgres {
			q += " FOR UPDATE"
		}
		rows, err := tx.Raw(q, campaign, setKeys(bands), setKeys(teams)).Rows()
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			k := counterKey{campaignID: campaign}
			var blob []byte
			if err := rows.Scan(&k.band, &k.teamID, &blob); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = blob
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setKeys[K cmp.Ordered](set map[K]bool) []K {
	out := make([]K, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// counterStatements read and rewrite counters rows on the transaction's
// own connection; without one (not in a transaction) merge falls back to
// mergeCounters.
type counterStatements struct {
	update *sql.Stmt
}

func prepareCounterStatements(tx *gorm.DB) (*counterStatements, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return &counterStatements{}, nil
	}
	var s counterStatements
	var err error
	s.update, err = sqlTx.PrepareContext(tx.Statement.Context, "UPDATE counters SET counts = $1 WHERE campaign_id = $2 AND band = $3 AND team_id = $4")
	return &s, err
}

func (s *counterStatements) close() {
	if s.update != nil {
		s.update.Close()
	}
}

// merge adds delta to one row whose stored vector is blob (read with the
// batch); a row that does not exist yet is created by mergeCounters, which
// also handles two writers creating it at once.
func (s *counterStatements) merge(tx *gorm.DB, k counterKey, delta []int64, blob []byte) error {
	if s.update == nil || blob == nil {
		return mergeCounters(tx, k, delta, 0)
	}
	ctx := tx.Statement.Context
	cur, err := DecodeCounts(blob, len(delta), nil)
	if err != nil {
		return err
	}
	AddCounts(cur, delta)
	_, err = s.update.ExecContext(ctx, EncodeCounts(cur), k.campaignID, k.band, k.teamID)
	return err
}
