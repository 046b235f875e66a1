package survey

import (
	"cmp"
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

// flush writes every summed row: one read of the batch's rows, then
// multi-row rewrites (WriteCounterRows).
func (b *counterBatch) flush(tx *gorm.DB) error {
	keys := make([]counterKey, 0, len(b.deltas))
	for k := range b.deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y counterKey) int {
		return cmp.Or(cmp.Compare(x.campaignID, y.campaignID), cmp.Compare(x.band, y.band), cmp.Compare(x.teamID, y.teamID))
	})
	current, err := readCounterRows(tx, keys)
	if err != nil {
		return err
	}
	var rewrite []CounterRow
	for _, k := range keys {
		blob := current[k]
		if blob == nil { // a new row: mergeCounters also handles two writers creating it at once
			if err := mergeCounters(tx, k, b.deltas[k], 0); err != nil {
				return err
			}
			continue
		}
		cur, err := DecodeCounts(blob, len(b.deltas[k]), nil)
		if err != nil {
			return err
		}
		AddCounts(cur, b.deltas[k])
		rewrite = append(rewrite, CounterRow{k.campaignID, k.band, k.teamID, cur})
	}
	return WriteCounterRows(tx, rewrite)
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
