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

// flush writes every summed row, with its read and update statements
// prepared once for the whole batch.
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
	for _, k := range keys {
		if err := stmts.merge(tx, k, b.deltas[k]); err != nil {
			return err
		}
	}
	return nil
}

// counterStatements read and rewrite counters rows on the transaction's
// own connection; without one (not in a transaction) merge falls back to
// mergeCounters.
type counterStatements struct {
	read, update *sql.Stmt
}

func prepareCounterStatements(tx *gorm.DB) (*counterStatements, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return &counterStatements{}, nil
	}
	read := "SELECT counts FROM counters WHERE campaign_id = $1 AND band = $2 AND team_id = $3"
	if tx.Dialector.Name() == Postgres {
		read += " FOR UPDATE"
	}
	var s counterStatements
	var err error
	ctx := tx.Statement.Context
	if s.read, err = sqlTx.PrepareContext(ctx, read); err != nil {
		return nil, err
	}
	if s.update, err = sqlTx.PrepareContext(ctx, "UPDATE counters SET counts = $1 WHERE campaign_id = $2 AND band = $3 AND team_id = $4"); err != nil {
		s.close()
		return nil, err
	}
	return &s, nil
}

func (s *counterStatements) close() {
	for _, st := range []*sql.Stmt{s.read, s.update} {
		if st != nil {
			st.Close()
		}
	}
}

// merge adds delta to one row; a row that does not exist yet is created by
// mergeCounters, which also handles two writers creating it at once.
func (s *counterStatements) merge(tx *gorm.DB, k counterKey, delta []int64) error {
	if s.read == nil {
		return mergeCounters(tx, k, delta, 0)
	}
	ctx := tx.Statement.Context
	var blob []byte
	err := s.read.QueryRowContext(ctx, k.campaignID, k.band, k.teamID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return mergeCounters(tx, k, delta, 0)
	}
	if err != nil {
		return err
	}
	cur, err := DecodeCounts(blob, len(delta), nil)
	if err != nil {
		return err
	}
	AddCounts(cur, delta)
	_, err = s.update.ExecContext(ctx, EncodeCounts(cur), k.campaignID, k.band, k.teamID)
	return err
}
