package survey

import (
	"context"
	"database/sql"
	"errors"
)

// RawAnswer is one stored response as the disclosure decision reads it:
// its team, its answer codes, whether it carries a comment and the
// live-results snapshot epoch it entered (0: none). Nothing else.
type RawAnswer struct {
	TeamID        int64
	Codes         []byte
	Commented     bool
	SnapshotEpoch int64
}

// ErrNoRawAnswers says a campaign's raw answers were purged: its decision
// can then only come from the aggregate counters.
var ErrNoRawAnswers = errors.New("raw answers purged")

// EachRawAnswer calls fn with every stored response of campaign (fn must
// not keep Codes). It is the one place the disclosure decision reads raw
// answers, after the campaign closed, so a change in how answers reach
// responses stays here. It returns ErrNoRawAnswers when the campaign has
// counters but no responses any more.
func (s *Store) EachRawAnswer(ctx context.Context, campaignID int64, fn func(RawAnswer)) error {
	db, err := s.read.DB()
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, s.rebind(`SELECT team_id, codes, comment <> '', snapshot_epoch FROM responses WHERE campaign_id = ?`), campaignID)
	if err != nil {
		return storeError(err, "responses")
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var a RawAnswer
		if err := rows.Scan(&a.TeamID, &a.Codes, &a.Commented, &a.SnapshotEpoch); err != nil {
			return storeError(err, "responses")
		}
		fn(a)
		n++
	}
	if err := rows.Err(); err != nil {
		return storeError(err, "responses")
	}
	if n == 0 {
		var counted int64
		err := s.read.WithContext(ctx).Raw(`SELECT COUNT(*) FROM counters WHERE campaign_id = ?`, campaignID).Scan(&counted).Error
		if err != nil {
			return storeError(err, "counters")
		}
		if counted > 0 {
			return ErrNoRawAnswers
		}
	}
	return nil
}

// Decision returns the stored disclosure decision of campaign for basis
// (a campaign state, e.g. "closed"), or nil when none is stored yet.
func (s *Store) Decision(ctx context.Context, campaignID int64, basis string) ([]byte, error) {
	db, err := s.read.DB()
	if err != nil {
		return nil, err
	}
	var blob []byte
	err = db.QueryRowContext(ctx, s.rebind(`SELECT shown FROM disclosure_decisions WHERE campaign_id = ? AND basis = ?`), campaignID, basis).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return blob, storeError(err, "disclosure decision")
}

// SaveDecision stores a decision (one statement, so one transaction)
// unless one is stored already, and returns the stored one: the first
// writer wins, so two instances deciding at once serve the same figures.
func (s *Store) SaveDecision(ctx context.Context, campaignID int64, basis string, shown []byte) ([]byte, error) {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO disclosure_decisions (campaign_id, basis, shown) VALUES (?, ?, ?)
		ON CONFLICT (campaign_id, basis) DO NOTHING`, campaignID, basis, shown).Error
	if err != nil {
		return nil, storeError(err, "disclosure decision")
	}
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	var blob []byte
	err = db.QueryRowContext(ctx, s.rebind(`SELECT shown FROM disclosure_decisions WHERE campaign_id = ? AND basis = ?`), campaignID, basis).Scan(&blob)
	return blob, storeError(err, "disclosure decision")
}

// Decisions returns every stored decision of a campaign by basis: the
// decision at closing must keep safe every live snapshot already served.
func (s *Store) Decisions(ctx context.Context, campaignID int64) (map[string][]byte, error) {
	db, err := s.read.DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, s.rebind(`SELECT basis, shown FROM disclosure_decisions WHERE campaign_id = ?`), campaignID)
	if err != nil {
		return nil, storeError(err, "disclosure decisions")
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var basis string
		var blob []byte
		if err := rows.Scan(&basis, &blob); err != nil {
			return nil, storeError(err, "disclosure decisions")
		}
		out[basis] = blob
	}
	return out, storeError(rows.Err(), "disclosure decisions")
}
