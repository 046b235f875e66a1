package survey

import (
	"database/sql"
	"errors"
	"strings"
)

// consumeManySQL consumes the invitations of one campaign in one statement.
// "campaign_id + 0" keeps the planner on the token's primary key: with the
// bare column SQLite may walk the campaign's whole invitations index.
const consumeManySQL = "UPDATE invitations SET used = TRUE WHERE token_hash IN ? AND campaign_id + 0 = ? AND NOT used AND NOT revoked RETURNING token_hash, team_id"

// writeAll writes a batch with a few statements rather than a few per
// answer: the campaigns' states checked once, the invitations of each
// campaign consumed by one UPDATE, team-link answers claimed, then every
// accepted answer put in the mixing stage by multi-row INSERTs. Refusals
// (closed campaign, used or unknown token, full team link) write nothing,
// so they need no savepoint; an unexpected error fails the batch, which
// the writer then retries answer by answer.
func (w *rowWriter) writeAll(batch []*writeJob, results []error) error {
	byCampaign := map[int64][]int{}
	var links []int
	for i, j := range batch {
		if results[i] = w.checkStillOpen(j.p); results[i] != nil {
			if !isRefusal(results[i]) {
				return results[i]
			}
			continue
		}
		if j.p.TokenHash != "" {
			byCampaign[j.p.Campaign.ID] = append(byCampaign[j.p.Campaign.ID], i)
		} else {
			links = append(links, i)
		}
	}
	for campaign, idx := range byCampaign {
		if err := w.consumeMany(campaign, batch, idx, results); err != nil {
			return err
		}
	}
	for _, i := range links {
		if p := batch[i].p; p.ViaTeamLink {
			results[i] = claimTeamLinkAnswer(w.tx, p.Campaign.ID, p.Response.TeamID)
			if err := results[i]; err != nil && !isRefusal(err) {
				return err
			}
		}
	}
	var accepted []*preparedResponse
	for i, j := range batch {
		if results[i] == nil {
			accepted = append(accepted, j.p)
		}
	}
	return insertPending(w, accepted)
}

// consumeMany consumes the invitations of batch[idx], all of one campaign,
// forgets the addresses they were mailed to, and refuses those that were
// not consumed (the first of two submissions with one token wins).
func (w *rowWriter) consumeMany(campaign int64, batch []*writeJob, idx []int, results []error) error {
	for len(idx) > 0 {
		chunk := idx[:min(inChunk, len(idx))]
		idx = idx[len(chunk):]
		hashes := make([]string, len(chunk))
		for k, i := range chunk {
			hashes[k] = batch[i].p.TokenHash
		}
		rows, err := w.tx.Raw(consumeManySQL, hashes, campaign).Rows()
		if err != nil {
			return err
		}
		teams, err := TeamsByHash(rows, len(chunk))
		if err != nil {
			return err
		}
		if err := forgetRecipients(w.tx, teams); err != nil {
			return err
		}
		for _, i := range chunk {
			p := batch[i].p
			team, ok := teams[p.TokenHash]
			if !ok {
				if results[i] = w.tokenRefusal(p); !isRefusal(results[i]) {
					return results[i]
				}
				continue
			}
			delete(teams, p.TokenHash)
			p.Response.TeamID = team
		}
	}
	return nil
}

// insertPending puts the accepted answers in the mixing stage, a hundred
// rows per statement.
func insertPending(w *rowWriter, accepted []*preparedResponse) error {
	for len(accepted) > 0 {
		chunk := accepted[:min(100, len(accepted))]
		accepted = accepted[len(chunk):]
		q := "INSERT INTO pending_responses (campaign_id, id, sealed) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 3*len(chunk))
		for _, p := range chunk {
			args = append(args, p.Campaign.ID, p.PendingID, p.Sealed)
		}
		if err := w.tx.Exec(q, args...).Error; err != nil {
			return err
		}
	}
	return nil
}

func isRefusal(err error) bool {
	var refusal *Error
	return err == nil || errors.As(err, &refusal)
}

// TeamsByHash reads the (token hash, team) rows a consuming UPDATE …
// RETURNING gives, and closes them: the invitations consumed, by hash.
func TeamsByHash(rows *sql.Rows, size int) (map[string]int64, error) {
	teams := make(map[string]int64, size)
	for rows.Next() {
		var hash string
		var team int64
		if err := rows.Scan(&hash, &team); err != nil {
			rows.Close()
			return nil, err
		}
		teams[hash] = team
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	return teams, nil
}
