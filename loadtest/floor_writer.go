package loadtest

import (
	"database/sql"
	"errors"
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

const floorConsumeSQL = "UPDATE invitations SET used = TRUE WHERE token_hash = $1 AND campaign_id = $2 AND NOT used AND NOT revoked RETURNING team_id"

// write consumes each invitation (a used or unknown one is refused with
// 409), then inserts the accepted rows and adds them to the counters.
func (w *floorWriter) write(tx *gorm.DB, batch []*floorJob, status []int) error {
	sqlTx, _ := tx.Statement.ConnPool.(*sql.Tx)
	consume, err := sqlTx.Prepare(floorConsumeSQL)
	if err != nil {
		return err
	}
	defer consume.Close()
	var ok []*survey.Response
	for i, j := range batch {
		err := consume.QueryRow(j.tokenHash, j.resp.CampaignID).Scan(&j.resp.TeamID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			status[i] = 409
			continue
		case err != nil:
			return err
		}
		status[i] = 201
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
