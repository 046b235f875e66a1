package survey

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// Frozen trees (DESIGN.md, "Anonymity"): a campaign's figures are always
// computed on the org tree it opened on, so that an import made after it
// (a team moved, merged or renamed) cannot turn two reads of the same
// campaign into a difference that isolates someone.

// freezeTree copies today's org tree into campaign_trees for c, inside the
// transaction that opens it.
func freezeTree(tx *gorm.DB, c *Campaign) error {
	if err := tx.Exec(`DELETE FROM campaign_trees WHERE campaign_id = ?`, c.ID).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO campaign_trees (campaign_id, team_id, code, parent_id, name, headcount)
		SELECT CAST(? AS BIGINT), id, code, parent_id, name, headcount FROM teams WHERE archived_at IS NULL`, c.ID).Error
}

// FrozenTree returns the tree campaign id opened on, or nil when it has
// none (a draft: it has no answers yet).
func (s *Store) FrozenTree(ctx context.Context, id int64) (*Tree, error) {
	db, err := s.read.DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, s.rebind(`SELECT team_id, code, parent_id, name, headcount FROM campaign_trees WHERE campaign_id = ?`), id)
	if err != nil {
		return nil, storeError(err, "campaign tree")
	}
	defer rows.Close()
	var teams []Team
	for rows.Next() {
		var t Team
		var parent sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Code, &parent, &t.Name, &t.Headcount); err != nil {
			return nil, storeError(err, "campaign tree")
		}
		if parent.Valid {
			t.ParentID = &parent.Int64
		}
		teams = append(teams, t)
	}
	if err := rows.Err(); err != nil || len(teams) == 0 {
		return nil, storeError(err, "campaign tree")
	}
	return NewTree(teams), nil
}
