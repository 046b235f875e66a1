package survey

import (
	"context"
	"errors"
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TeamLink is the open link of one team in one campaign, for a branch
// meeting or a poster. Its Key is random, so that knowing one team's link
// tells nothing about another's; answers through it name the team only.
type TeamLink struct {
	CampaignID int64  `json:"campaign_id" gorm:"primaryKey"`
	TeamID     int64  `json:"team_id" gorm:"primaryKey"`
	Key        string `json:"key" gorm:"column:link_key"`
}

// TeamLinkView is a team link with the team it opens, as HR lists them.
type TeamLinkView struct {
	TeamLink
	TeamCode  string `json:"team_code"`
	TeamName  string `json:"team_name"`
	Headcount int    `json:"headcount"`
}

// TeamLinks returns the link of every team of the campaign, creating the
// missing ones in one transaction, ordered by team code.
func (s *Store) TeamLinks(ctx context.Context, campaignID int64) ([]TeamLinkView, error) {
	var out []TeamLinkView
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := campaignIn(tx, campaignID)
		if err != nil {
			return err
		}
		if !c.AllowsTeamLinks() {
			return Errorf(ECONFLICT, "campaign %q is answered through personal invitations only: it has no team links", c.Name)
		}
		links, err := ensureTeamLinks(tx, c)
		if err != nil {
			return err
		}
		var teams []Team
		if err := active(tx).Where("id IN ?", c.TeamIDs).Find(&teams).Error; err != nil {
			return err
		}
		byID := map[int64]*Team{}
		for i := range teams {
			byID[teams[i].ID] = &teams[i]
		}
		for _, l := range links {
			if t := byID[l.TeamID]; t != nil {
				out = append(out, TeamLinkView{TeamLink: l, TeamCode: t.Code, TeamName: t.Name, Headcount: t.Headcount})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].TeamCode < out[j].TeamCode })
		return nil
	})
	return out, storeError(err, "team links")
}

// ensureTeamLinks creates a key for every team of c that has none yet; a
// concurrent creation of the same link is ignored, and the stored one read back.
func ensureTeamLinks(tx *gorm.DB, c *Campaign) ([]TeamLink, error) {
	var have []TeamLink
	if err := tx.Where("campaign_id = ?", c.ID).Find(&have).Error; err != nil {
		return nil, err
	}
	known := map[int64]bool{}
	for _, l := range have {
		known[l.TeamID] = true
	}
	var missing []TeamLink
	for _, id := range c.TeamIDs {
		if !known[id] {
			missing = append(missing, TeamLink{CampaignID: c.ID, TeamID: id, Key: NewToken()})
		}
	}
	if len(missing) == 0 {
		return have, nil
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(missing, 500).Error; err != nil {
		return nil, err
	}
	have = have[:0]
	err := tx.Where("campaign_id = ?", c.ID).Find(&have).Error
	return have, err
}

// TeamLinkByKey finds the campaign and team a team link opens. An unknown
// key is ENOTFOUND, with the same message whatever the reason.
func (s *Store) TeamLinkByKey(ctx context.Context, key string) (*TeamLink, error) {
	var l TeamLink
	if key == "" || len(key) > 100 {
		return nil, FieldError(ENOTFOUND, "team_link", "this team link is not valid")
	}
	if err := s.read.WithContext(ctx).Where("link_key = ?", key).Take(&l).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, FieldError(ENOTFOUND, "team_link", "this team link is not valid")
		}
		return nil, storeError(err, "team link")
	}
	return &l, nil
}

// TeamLinkFor returns the link of one team of a campaign, for its QR code.
func (s *Store) TeamLinkFor(ctx context.Context, campaignID int64, teamCode string) (*TeamLinkView, error) {
	links, err := s.TeamLinks(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	for i := range links {
		if links[i].TeamCode == teamCode {
			return &links[i], nil
		}
	}
	return nil, FieldError(ENOTFOUND, "code", "team %q is not part of this campaign", teamCode)
}
