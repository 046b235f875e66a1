package survey

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// BulkResponse is one already encoded response for BulkInsert.
type BulkResponse struct {
	TeamID  int64
	Codes   []byte // EncodeAnswers output for the campaign's definition
	Comment string
}

// BulkChunk is how many responses one BulkInsert transaction writes.
const BulkChunk = 100_000

// bulkRows is how many responses one INSERT statement carries (6
// parameters each, within SQLite's and PostgreSQL's parameter limits).
const bulkRows = 500

// BulkInsert stores the responses next yields for campaign, dated day, in
// transactions of BulkChunk responses that each add their counters too,
// so the counters match the responses (Verify) after every commit. It is
// the loader of benchmarks and large demos: plain batched SQL on the
// store's write connection, no invitation, no phase check. Campaigns with
// live results are refused: their snapshots need one response at a time.
func (s *Store) BulkInsert(ctx context.Context, campaignID int64, day string, next func() (BulkResponse, bool)) (int, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return 0, err
	}
	if c.LiveResults {
		return 0, Errorf(ECONFLICT, "campaign %q has live results: load its responses one by one", c.Name)
	}
	def, err := s.Definition(ctx, c.QuestionnaireID)
	if err != nil {
		return 0, err
	}
	l := LayoutOf(def)
	total, done := 0, false
	for !done {
		chunk := make([]BulkResponse, 0, BulkChunk)
		for len(chunk) < BulkChunk {
			r, ok := next()
			if !ok {
				done = true
				break
			}
			if len(r.Codes) != def.codesLen() {
				return total, Errorf(EINVALID, "response %d has %d answer bytes, want %d", total+len(chunk)+1, len(r.Codes), def.codesLen())
			}
			chunk = append(chunk, r)
		}
		if len(chunk) == 0 {
			break
		}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return bulkChunk(tx, c.ID, day, l, chunk)
		})
		if err != nil {
			return total, storeError(err, "responses")
		}
		total += len(chunk)
	}
	return total, nil
}

// bulkChunk writes one chunk and adds its counters, inside tx.
func bulkChunk(tx *gorm.DB, campaignID int64, day string, l *CounterLayout, chunk []BulkResponse) error {
	sums := map[counterKey][]int64{}
	for _, r := range chunk {
		for _, band := range l.Bands(r.Codes) {
			k := counterKey{campaignID, band, r.TeamID}
			if sums[k] == nil {
				sums[k] = make([]int64, l.Len)
			}
			l.TallyCodes(sums[k], r.Codes)
		}
	}
	postgres := tx.Dialector.Name() == Postgres
	for start := 0; start < len(chunk); start += bulkRows {
		rows := chunk[start:min(start+bulkRows, len(chunk))]
		args := make([]any, 0, 6*len(rows))
		for _, r := range rows {
			args = append(args, NewResponseID(), campaignID, r.TeamID, day, r.Codes, r.Comment)
		}
		q := "INSERT INTO responses (id, campaign_id, team_id, day, codes, comment) VALUES " + placeholders(len(rows), 6, postgres)
		if _, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, q, args...); err != nil {
			return fmt.Errorf("insert responses: %w", err)
		}
	}
	keys := make([]counterKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b counterKey) int {
		if a.teamID != b.teamID {
			return int(a.teamID - b.teamID)
		}
		return strings.Compare(a.band, b.band)
	})
	for _, k := range keys {
		if err := mergeCounters(tx, k, sums[k], 0); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns rows groups of cols parameters: (?,?),(?,?) or,
// for PostgreSQL, ($1,$2),($3,$4).
func placeholders(rows, cols int, postgres bool) string {
	var b strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			n++
			if postgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
