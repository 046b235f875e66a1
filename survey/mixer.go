package survey

import (
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The mixing stage. A submission consumes its invitation and stores its
// answer sealed in pending_responses, in one transaction; a separate
// transaction, the flush, later moves the answers of a team to responses
// once at least k of them wait (all of a campaign when it closes), in
// shuffled order, adds them to the counters and deletes them from the
// stage. A transaction id, a WAL commit or a row's place then ties an
// invitation to a batch of at least k answers, never to its own.

const (
	pendingInsertSQL = "INSERT INTO pending_responses (campaign_id, id, sealed) VALUES ($1, $2, $3)"
	// mixLockKey is the first key of the PostgreSQL advisory lock that
	// serialises the flushes of one campaign across instances.
	mixLockKey = 774202
	inChunk    = 500 // ids per IN list
)

// readPending opens every answer waiting for campaign, through db, and
// gives each its team (an invitation's is read from the invitation). The
// answers this process sealed come from its cache (pending_cache.go); only
// the others are read and opened.
func (s *Store) readPending(db *gorm.DB, campaignID int64) ([]*pendingAnswer, error) {
	mark := s.caches.opened.mark()
	var ids []string
	if err := db.Raw("SELECT id FROM pending_responses WHERE campaign_id = ?", campaignID).Scan(&ids).Error; err != nil {
		return nil, err
	}
	out, unknown := s.caches.opened.lookup(campaignID, ids, mark)
	for len(unknown) > 0 {
		chunk := unknown[:min(inChunk, len(unknown))]
		unknown = unknown[len(chunk):]
		opened, err := s.openPending(db, campaignID, chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, opened...)
	}
	return out, nil
}

// openPending reads and opens the pending rows ids of campaign.
func (s *Store) openPending(db *gorm.DB, campaignID int64, ids []string) ([]*pendingAnswer, error) {
	rows, err := db.Raw("SELECT id, sealed FROM pending_responses WHERE campaign_id = ? AND id IN ?", campaignID, ids).Rows()
	if err != nil {
		return nil, err
	}
	var out []*pendingAnswer
	var hashes []string
	for rows.Next() {
		var id string
		var sealed []byte
		if err := rows.Scan(&id, &sealed); err != nil {
			rows.Close()
			return nil, err
		}
		a, err := openSealed(s.mix, campaignID, id, sealed)
		if err != nil {
			rows.Close()
			return nil, Errorf(EINTERNAL, "campaign %d: %v", campaignID, err)
		}
		out = append(out, a)
		if a.TokenHash != "" {
			hashes = append(hashes, a.TokenHash)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	teams, err := invitationTeams(db, campaignID, hashes)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		if a.TokenHash != "" {
			a.Response.TeamID = teams[a.TokenHash]
		}
	}
	return out, nil
}

func invitationTeams(db *gorm.DB, campaignID int64, hashes []string) (map[string]int64, error) {
	teams := make(map[string]int64, len(hashes))
	for len(hashes) > 0 {
		chunk := hashes[:min(inChunk, len(hashes))]
		hashes = hashes[len(chunk):]
		var rows []struct {
			TokenHash  string
			CampaignID int64
			TeamID     int64
		}
		// By the primary key alone: with the campaign in the WHERE, SQLite
		// may scan the campaign's whole invitations index instead.
		if err := db.Raw("SELECT token_hash, campaign_id, team_id FROM invitations WHERE token_hash IN ?", chunk).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.CampaignID == campaignID {
				teams[r.TokenHash] = r.TeamID
			}
		}
	}
	return teams, nil
}

// mixBatch picks what a flush moves: the answers of every team with at
// least k waiting, or, with all, everything. With limit > 0 it stops after
// the team that reaches limit answers (whole teams only, so each keeps at
// least k), and more says that teams were left for the next flush.
func mixBatch(waiting []*pendingAnswer, k int, all bool, limit int) (batch []*pendingAnswer, more bool) {
	if all {
		return waiting, false
	}
	perTeam := map[int64][]*pendingAnswer{}
	var teams []int64
	for _, a := range waiting {
		t := a.Response.TeamID
		if perTeam[t] == nil {
			teams = append(teams, t)
		}
		perTeam[t] = append(perTeam[t], a)
	}
	for _, t := range teams {
		if len(perTeam[t]) < max(k, 1) {
			continue
		}
		if limit > 0 && len(batch) >= limit {
			return batch, true
		}
		batch = append(batch, perTeam[t]...)
	}
	return batch, false
}

// flushTx moves campaign c's waiting answers to responses inside tx (see
// mixBatch), and returns how many it moved and whether teams with k
// answers were left for another flush.
func (s *Store) flushTx(tx *gorm.DB, c *Campaign, def *Definition, all bool, limit int) (int, bool, error) {
	if s.dialect == Postgres {
		if all {
			// The last flush of a closed campaign waits for the writers'
			// transactions that found it open (checkStillOpen), so that it
			// sees their answers; later ones find it closed. Before the
			// advisory lock: HR's closing takes the row first, too.
			if err := tx.Exec("SELECT id FROM campaigns WHERE id = ? FOR UPDATE", c.ID).Error; err != nil {
				return 0, false, err
			}
		}
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, CAST(? AS INTEGER))", mixLockKey, c.ID).Error; err != nil {
			return 0, false, err
		}
	}
	return s.flushLocked(tx, c, def, all, limit)
}

// flushLocked is flushTx once the campaign's flush lock is held.
func (s *Store) flushLocked(tx *gorm.DB, c *Campaign, def *Definition, all bool, limit int) (int, bool, error) {
	waiting, err := s.readPending(tx, c.ID)
	if err != nil {
		return 0, false, err
	}
	batch, more := mixBatch(waiting, c.MinGroup, all, limit)
	if len(batch) == 0 {
		return 0, false, nil
	}
	return len(batch), more, s.moveBatch(tx, c, def, batch)
}

// moveBatch moves a batch mixBatch chose from the stage to responses and
// the counters, in shuffled order.
func (s *Store) moveBatch(tx *gorm.DB, c *Campaign, def *Definition, batch []*pendingAnswer) error {
	rand.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	// The delete first: it finds answers another flush moved before any
	// other write (the writer's flush relies on it, see flushCached).
	if err := deletePending(tx, c.ID, batch); err != nil {
		return err
	}
	if err := s.touchInvitations(tx, c.ID, batch); err != nil {
		return err
	}
	if err := insertResponses(tx, batch); err != nil {
		return err
	}
	counters := newCounterBatch()
	for _, a := range batch {
		if err := counters.add(tx, &preparedResponse{Campaign: c, Def: def, Response: a.Response}); err != nil {
			return err
		}
	}
	if err := counters.flush(tx); err != nil {
		return err
	}
	// Forgotten before the commit: if it fails, the answers are read
	// back from the stage by the next flush that reads it whole.
	s.caches.opened.forget(c.ID, batch)
	pauseInFlush()
	return nil
}

// flushPauseFile is a hook for the crash tests only: when set, each flush,
// its writes done and not yet committed, creates this file and waits, so
// that the test can kill the process in the middle of a flush.
var flushPauseFile = os.Getenv("DIGIGAP_TEST_FLUSH_PAUSE_FILE")

func pauseInFlush() {
	if flushPauseFile != "" {
		_ = os.WriteFile(flushPauseFile, nil, 0o600)
		time.Sleep(5 * time.Second)
	}
}

// insertResponses writes the batch's responses in its (shuffled) order,
// a hundred rows per statement.
func insertResponses(tx *gorm.DB, batch []*pendingAnswer) error {
	for len(batch) > 0 {
		chunk := batch[:min(100, len(batch))]
		batch = batch[len(chunk):]
		q := "INSERT INTO responses (id, campaign_id, team_id, day, codes, comment) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 6*len(chunk))
		for _, a := range chunk {
			r := &a.Response
			args = append(args, r.ID, r.CampaignID, r.TeamID, r.Day, r.Codes, r.Comment)
		}
		if err := tx.Exec(q, args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// touchInvitations rewrites, on PostgreSQL, the invitations whose answers
// a flush moves, so that their xmin is the flush's like their answers'
// and no longer tells when each was consumed. SQLite keeps no such column.
func (s *Store) touchInvitations(tx *gorm.DB, campaignID int64, batch []*pendingAnswer) error {
	if s.dialect != Postgres {
		return nil
	}
	var hashes []string
	for _, a := range batch {
		if a.TokenHash != "" {
			hashes = append(hashes, a.TokenHash)
		}
	}
	for len(hashes) > 0 {
		chunk := hashes[:min(inChunk, len(hashes))]
		hashes = hashes[len(chunk):]
		// "campaign_id + 0", as consumeManySQL: the planner then takes the
		// token's primary key, not every invitation of the campaign.
		if err := tx.Exec("UPDATE invitations SET used = TRUE WHERE campaign_id + 0 = ? AND token_hash IN ?", campaignID, chunk).Error; err != nil {
			return err
		}
	}
	return nil
}

// deletePending removes the moved answers from the stage; a count that
// does not match means another flush moved them too, and rolls back.
func deletePending(tx *gorm.DB, campaignID int64, batch []*pendingAnswer) error {
	for len(batch) > 0 {
		chunk := batch[:min(inChunk, len(batch))]
		batch = batch[len(chunk):]
		ids := make([]string, len(chunk))
		for i, a := range chunk {
			ids[i] = a.ID
		}
		res := tx.Exec("DELETE FROM pending_responses WHERE campaign_id = ? AND id IN ?", campaignID, ids)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(ids)) {
			return Errorf(ECONFLICT, "campaign %d: pending answers were moved twice", campaignID)
		}
	}
	return nil
}

// flushCampaign runs one flush of campaign id in its own transaction,
// everything when the campaign is closed, then lets SQLite forget the WAL.
func (s *Store) flushCampaign(ctx context.Context, id int64) (int, error) {
	c, err := s.submitCampaign(ctx, id)
	if err != nil {
		return 0, err
	}
	def, err := s.Definition(ctx, c.QuestionnaireID)
	if err != nil {
		return 0, err
	}
	return s.flush(ctx, c, def)
}

// flushLimit is about the most answers one background flush transaction
// moves: the flush holds SQLite's only write connection, so a long one
// would hold every submission behind it. Teams beyond it go in further
// transactions right after, with the connection free in between.
const flushLimit = 256

// flush is flushCampaign with the campaign and its definition at hand:
// everything in one transaction when the campaign is closed, else teams
// with k answers waiting, flushLimit at a time.
func (s *Store) flush(ctx context.Context, c *Campaign, def *Definition) (int, error) {
	all := c.Phase(s.Today()) == PhaseClosed
	total := 0
	for more := true; more; {
		var n int
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) (err error) {
			n, more, err = s.flushTx(tx, c, def, all, flushLimit)
			return err
		})
		if err != nil {
			return total, storeError(err, "mixing stage")
		}
		total += n
	}
	if total > 0 {
		s.truncateWAL(ctx)
	}
	return total, nil
}

// MixPending flushes every campaign with answers waiting: each team with
// at least k, and all of a campaign past its closing day. The mixer runs
// it in the background; verify and the retention purge run it first.
func (s *Store) MixPending(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.read.WithContext(ctx).Raw("SELECT DISTINCT campaign_id FROM pending_responses").Scan(&ids).Error; err != nil {
		return 0, storeError(err, "mixing stage")
	}
	total := 0
	for _, id := range ids {
		n, err := s.flushCampaign(ctx, id)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// SettleCampaign flushes what still waits of a closed campaign (it may
// have closed by date with nobody writing since), so that its figures
// count every answer. It reads only when nothing waits.
func (s *Store) SettleCampaign(ctx context.Context, c *Campaign) error {
	if c.Phase(s.Today()) != PhaseClosed {
		return nil
	}
	var waiting []int64
	if err := s.read.WithContext(ctx).Raw("SELECT campaign_id FROM pending_responses WHERE campaign_id = ? LIMIT 1", c.ID).Scan(&waiting).Error; err != nil || len(waiting) == 0 {
		return storeError(err, "mixing stage")
	}
	_, err := s.flushCampaign(ctx, c.ID)
	return err
}
