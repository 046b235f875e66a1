package survey

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// CounterDiff is one stored counter that the raw responses contradict.
type CounterDiff struct {
	CampaignID int64  `json:"campaign_id"`
	Band       string `json:"band"`
	TeamID     int64  `json:"team_id"`
	Counter    string `json:"counter"` // e.g. "email.b", or "shown" for a bad snapshot
	Stored     int64  `json:"stored"`
	Recounted  int64  `json:"recounted"`
}

func (d CounterDiff) String() string {
	return fmt.Sprintf("campaign %d team %d band %q %s: stored %d, responses say %d",
		d.CampaignID, d.TeamID, d.Band, d.Counter, d.Stored, d.Recounted)
}

// Verify recounts every counter of every campaign from the raw responses,
// decoded with the campaign's definition through a path independent of
// the write path, and lists every difference. It also checks that
// live-results snapshots hold a multiple of k responses and never more
// than the counters. An empty list means the counters can be trusted.
func (s *Store) Verify(ctx context.Context) ([]CounterDiff, error) {
	// Answers in the mixing stage are in neither the responses nor the
	// counters; flushing what is due first checks the most there is.
	if _, err := s.MixPending(ctx); err != nil {
		return nil, err
	}
	campaigns, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	var diffs []CounterDiff
	today := s.Today()
	for i := range campaigns {
		// Past retention the raw answers are purged and only the counters
		// remain: there is nothing left to recount them from.
		if due, err := campaigns[i].PurgeDue(); err == nil && campaigns[i].State != StateDraft && today >= due {
			continue
		}
		d, err := s.verifyCampaign(ctx, &campaigns[i])
		if err != nil {
			return nil, fmt.Errorf("campaign %d: %w", campaigns[i].ID, err)
		}
		diffs = append(diffs, d...)
	}
	return diffs, nil
}

func (s *Store) verifyCampaign(ctx context.Context, c *Campaign) ([]CounterDiff, error) {
	def, err := s.Definition(ctx, c.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	l := LayoutOf(def)
	want, err := recount(s.read.WithContext(ctx), c.ID, def, l)
	if err != nil {
		return nil, err
	}
	stored, shown, err := s.storedCounters(ctx, c.ID, l)
	if err != nil {
		return nil, err
	}
	keys := make([]counterKey, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range stored {
		if want[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b counterKey) int {
		if a.band != b.band {
			return strings.Compare(a.band, b.band)
		}
		return int(a.teamID - b.teamID)
	})
	var diffs []CounterDiff
	zero := make([]int64, l.Len)
	for _, k := range keys {
		w, st := want[k], stored[k]
		w, st = cmpOr(w, zero), cmpOr(st, zero)
		for i := range l.Len {
			if w[i] != st[i] {
				diffs = append(diffs, CounterDiff{k.campaignID, k.band, k.teamID, l.Name(i), st[i], w[i]})
			}
		}
		diffs = append(diffs, checkShown(c, k, shown[k], st)...)
	}
	return diffs, nil
}

func cmpOr(v, zero []int64) []int64 {
	if v == nil {
		return zero
	}
	return v
}

// checkShown checks one live-results snapshot against its counters.
func checkShown(c *Campaign, k counterKey, shown, counts []int64) []CounterDiff {
	step := int64(liveStep(c))
	switch {
	case shown == nil:
		if step > 0 && counts[CountResponses] >= step {
			return []CounterDiff{{k.campaignID, k.band, k.teamID, "shown", 0, counts[CountResponses] / step * step}}
		}
		return nil
	case step == 0 || shown[CountResponses]%step != 0 || counts[CountResponses]-shown[CountResponses] >= step:
		return []CounterDiff{{k.campaignID, k.band, k.teamID, "shown", shown[CountResponses], counts[CountResponses] / max(step, 1) * step}}
	}
	for i := range shown {
		if shown[i] > counts[i] {
			return []CounterDiff{{k.campaignID, k.band, k.teamID, "shown", shown[CountResponses], counts[CountResponses] / step * step}}
		}
	}
	return nil
}

// recount tallies every response of campaign from its decoded answers.
func recount(db *gorm.DB, campaignID int64, def *Definition, l *CounterLayout) (map[counterKey][]int64, error) {
	rows, err := db.Raw(`SELECT team_id, codes, comment FROM responses WHERE campaign_id = ?`, campaignID).Rows()
	if err != nil {
		return nil, storeError(err, "responses")
	}
	defer rows.Close()
	out := map[counterKey][]int64{}
	for rows.Next() {
		var team int64
		var codes []byte
		var comment string
		if err := rows.Scan(&team, &codes, &comment); err != nil {
			return nil, storeError(err, "responses")
		}
		a, err := def.DecodeAnswers(codes, comment)
		if err != nil {
			return nil, err
		}
		for _, band := range answerBands(def, a) {
			k := counterKey{campaignID, band, team}
			if out[k] == nil {
				out[k] = make([]int64, l.Len)
			}
			tallyAnswers(def, l, out[k], a)
		}
	}
	return out, storeError(rows.Err(), "responses")
}

// storedCounters reads every counters row of a campaign, and its snapshot.
func (s *Store) storedCounters(ctx context.Context, campaignID int64, l *CounterLayout) (counts, shown map[counterKey][]int64, err error) {
	rows, err := s.read.WithContext(ctx).Raw(`SELECT band, team_id, counts, shown FROM counters WHERE campaign_id = ?`, campaignID).Rows()
	if err != nil {
		return nil, nil, storeError(err, "counters")
	}
	defer rows.Close()
	counts, shown = map[counterKey][]int64{}, map[counterKey][]int64{}
	for rows.Next() {
		k := counterKey{campaignID: campaignID}
		var c, sh []byte
		if err := rows.Scan(&k.band, &k.teamID, &c, &sh); err != nil {
			return nil, nil, storeError(err, "counters")
		}
		if counts[k], err = DecodeCounts(c, l.Len, nil); err != nil {
			return nil, nil, Errorf(EINTERNAL, "counters of team %d band %q: %v", k.teamID, k.band, err)
		}
		if sh != nil {
			if shown[k], err = DecodeCounts(sh, l.Len, nil); err != nil {
				return nil, nil, Errorf(EINTERNAL, "snapshot of team %d band %q: %v", k.teamID, k.band, err)
			}
		}
	}
	return counts, shown, storeError(rows.Err(), "counters")
}
