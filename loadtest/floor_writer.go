package loadtest

import (
	"strings"

	"gorm.io/gorm"

	"digigap/survey"
)

// floorWriter is the floor's group commit: it takes every submission that
// arrived while the previous commit ran and writes them in one transaction.
type floorWriter struct {
	db     *gorm.DB
	layout *survey.CounterLayout
	jobs   chan *floorJob
}

func (w *floorWriter) loop() {
	batch := make([]*floorJob, 0, 256)
	for first := range w.jobs {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < cap(batch) {
			select {
			case j := <-w.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		status := make([]int, len(batch))
		err := w.db.Transaction(func(tx *gorm.DB) error { return w.write(tx, batch, status) })
		for i, j := range batch {
			if err != nil {
				status[i] = 503
			}
			j.done <- status[i]
		}
	}
}

// floorConsumeSQL consumes a batch's invitations in one statement, as the
// real writer does (survey/row_batch.go).
const floorConsumeSQL = "UPDATE invitations SET used = TRUE WHERE token_hash IN ? AND campaign_id + 0 = ? AND NOT used AND NOT revoked RETURNING token_hash, team_id"

// write consumes the invitations (a used or unknown one is refused with
// 409), then inserts the accepted rows and adds them to the counters. The
// load test has one campaign: the batch's is the first job's.
func (w *floorWriter) write(tx *gorm.DB, batch []*floorJob, status []int) error {
	hashes := make([]string, len(batch))
	for i, j := range batch {
		hashes[i] = j.tokenHash
	}
	rows, err := tx.Raw(floorConsumeSQL, hashes, batch[0].resp.CampaignID).Rows()
	if err != nil {
		return err
	}
	teams, err := survey.TeamsByHash(rows, len(batch))
	if err != nil {
		return err
	}
	var ok []*survey.Response
	for i, j := range batch {
		team, found := teams[j.tokenHash]
		if !found {
			status[i] = 409
			continue
		}
		delete(teams, j.tokenHash)
		j.resp.TeamID, status[i] = team, 201
		ok = append(ok, &j.resp)
	}
	if len(ok) == 0 {
		return nil
	}
	if err := insertRows(tx, ok); err != nil {
		return err
	}
	return w.addCounters(tx, ok)
}

// insertRows writes the responses rows, a hundred per statement.
func insertRows(tx *gorm.DB, rows []*survey.Response) error {
	for len(rows) > 0 {
		chunk := rows[:min(100, len(rows))]
		rows = rows[len(chunk):]
		q := "INSERT INTO responses (id, campaign_id, team_id, day, codes, comment) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 6*len(chunk))
		for _, r := range chunk {
			args = append(args, r.ID, r.CampaignID, r.TeamID, r.Day, r.Codes, r.Comment)
		}
		if err := tx.Exec(q, args...).Error; err != nil {
			return err
		}
	}
	return nil
}
