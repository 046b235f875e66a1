package survey

import (
	"context"

	"gorm.io/gorm"
)

// A team link is open to anyone who holds it, so it could pad a small team
// with answers its holder knows and then subtract them. Each team's link
// therefore takes at most as many answers as the team has people, less
// the personal invitations used for it. The count lives in one row per
// campaign and team, bumped inside the write transaction by a conditional
// upsert: concurrent answers queue on that row, so none passes the cap,
// and the row holds a number only, never an order, a time or a response.

// errTeamLinkFull refuses an answer beyond the team's headcount.
func errTeamLinkFull(headcount int) *Error {
	return FieldError(ECONFLICT, "team_link",
		"this team link has already taken as many answers as the team has members (%d): ask HR for a personal invitation if you have not answered yet", headcount).
		Keyed("teamlink.full")
}

const claimTeamLinkSQL = `INSERT INTO team_link_answers (campaign_id, team_id, answers) VALUES (?, ?, 1)
	ON CONFLICT (campaign_id, team_id) DO UPDATE SET answers = team_link_answers.answers + 1
	WHERE team_link_answers.answers < ? RETURNING answers`

// claimTeamLinkAnswer takes one of the team's places for an answer
// through its link, or refuses it (before writing anything) when the team
// has none left. It must run inside the transaction that stores the answer.
func claimTeamLinkAnswer(tx *gorm.DB, campaignID, teamID int64) error {
	headcount, room, err := teamLinkRoom(tx, campaignID, teamID)
	if err != nil {
		return err
	}
	if room <= 0 {
		return errTeamLinkFull(headcount)
	}
	var got []int64
	if err := tx.Raw(claimTeamLinkSQL, campaignID, teamID, room).Scan(&got).Error; err != nil {
		return err
	}
	if len(got) == 0 {
		return errTeamLinkFull(headcount)
	}
	return nil
}

// teamLinkRoom returns the team's headcount and how many answers its link
// may take in all: the headcount less the invitations used for the team.
func teamLinkRoom(db *gorm.DB, campaignID, teamID int64) (headcount, room int, err error) {
	var row struct{ Headcount, Used int }
	err = db.Raw(`SELECT (SELECT headcount FROM teams WHERE id = ?) AS headcount,
		(SELECT COUNT(*) FROM invitations WHERE campaign_id = ? AND team_id = ? AND used) AS used`,
		teamID, campaignID, teamID).Scan(&row).Error
	return row.Headcount, row.Headcount - row.Used, err
}

// CheckTeamLinkRoom refuses, with the message a respondent reads, a team
// link whose team has no place left, so that nobody fills in the whole
// questionnaire for nothing. The write transaction checks again, exactly.
func (s *Store) CheckTeamLinkRoom(ctx context.Context, campaignID, teamID int64) error {
	db := s.read.WithContext(ctx)
	headcount, room, err := teamLinkRoom(db, campaignID, teamID)
	if err != nil {
		return storeError(err, "team link")
	}
	var taken []int
	if err := db.Raw("SELECT answers FROM team_link_answers WHERE campaign_id = ? AND team_id = ?", campaignID, teamID).Scan(&taken).Error; err != nil {
		return storeError(err, "team link")
	}
	if len(taken) > 0 && taken[0] >= room || room <= 0 {
		return errTeamLinkFull(headcount)
	}
	return nil
}
