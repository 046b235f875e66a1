package survey

import (
	"cmp"
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

// flush writes every summed row.
func (b *counterBatch) flush(tx *gorm.DB) error {
	keys := make([]counterKey, 0, len(b.deltas))
	for k := range b.deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y counterKey) int {
		return cmp.Or(cmp.Compare(x.campaignID, y.campaignID), cmp.Compare(x.band, y.band), cmp.Compare(x.teamID, y.teamID))
	})
	for _, k := range keys {
		if err := mergeCounters(tx, k, b.deltas[k], 0); err != nil {
			return err
		}
	}
	return nil
}
