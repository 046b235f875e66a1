package loadtest

import (
	"cmp"
	"slices"

	"gorm.io/gorm"

	"digigap/survey"
)

// floorKey is one counters row: campaign, band, team.
type floorKey struct {
	campaign int64
	band     string
	team     int64
}

// addCounters sums the batch per counters row, reads the rows touched in
// one query (locking them on PostgreSQL) and rewrites them, in key order,
// with multi-row upserts as the real flush does (a missing row is created:
// the floor is the only writer of its database). The load test has one campaign, so a
// batch's rows all belong to the first one's.
func (w *floorWriter) addCounters(tx *gorm.DB, rows []*survey.Response) error {
	deltas := map[floorKey][]int64{}
	one := make([]int64, w.layout.Len)
	bands, teams := map[string]bool{}, map[int64]bool{}
	for _, r := range rows {
		clear(one)
		w.layout.TallyCodes(one, r.Codes)
		for _, band := range w.layout.Bands(r.Codes) {
			k := floorKey{r.CampaignID, band, r.TeamID}
			if deltas[k] == nil {
				deltas[k] = make([]int64, w.layout.Len)
			}
			survey.AddCounts(deltas[k], one)
			bands[band], teams[r.TeamID] = true, true
		}
	}
	current, err := w.readCounters(tx, rows[0].CampaignID, bands, teams)
	if err != nil {
		return err
	}
	keys := make([]floorKey, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y floorKey) int { return cmp.Or(cmp.Compare(x.band, y.band), cmp.Compare(x.team, y.team)) })
	var rewrite []survey.CounterRow
	for _, k := range keys {
		cur, found := current[k]
		if !found {
			cur = make([]int64, w.layout.Len)
		}
		survey.AddCounts(cur, deltas[k])
		rewrite = append(rewrite, survey.CounterRow{CampaignID: k.campaign, Band: k.band, TeamID: k.team, Counts: cur})
	}
	return survey.WriteCounterRows(tx, rewrite)
}

// readCounters reads the counters rows of one campaign the batch may touch.
func (w *floorWriter) readCounters(tx *gorm.DB, campaign int64, bands map[string]bool, teams map[int64]bool) (map[floorKey][]int64, error) {
	q := "SELECT band, team_id, counts FROM counters WHERE campaign_id = ? AND band IN ? AND team_id IN ?"
	if tx.Dialector.Name() == "postgres" {
		q += " ORDER BY band, team_id FOR UPDATE"
	}
	rows, err := tx.Raw(q, campaign, keysOf(bands), keysOf(teams)).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[floorKey][]int64{}
	for rows.Next() {
		k := floorKey{campaign: campaign}
		var blob []byte
		if err := rows.Scan(&k.band, &k.team, &blob); err != nil {
			return nil, err
		}
		if out[k], err = survey.DecodeCounts(blob, w.layout.Len, nil); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

func keysOf[K cmp.Ordered](set map[K]bool) []K {
	out := make([]K, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
