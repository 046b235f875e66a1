package survey

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// CampaignTeam links a campaign to one team it covers.
type CampaignTeam struct {
	CampaignID int64 `gorm:"primaryKey"`
	TeamID     int64 `gorm:"primaryKey"`
}

// CreateCampaign stores a draft campaign over the subtrees of the given
// teams; the covered teams are fixed now, so a later re-org does not change
// who a past wave asked.
func (s *Store) CreateCampaign(ctx context.Context, in CampaignInput) (*Campaign, error) {
	if err := in.normalize(); err != nil {
		return nil, err
	}
	c := &Campaign{State: StateDraft}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fillCampaign(tx, c, in); err != nil {
			return err
		}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if err := saveCampaignTeams(tx, c); err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditCampaignCreated, campaignObject(c), campaignDetail(c))
	})
	return c, storeError(err, "campaign")
}

// UpdateCampaign edits a draft; once opened, a campaign's threshold, teams
// and questionnaire are frozen, as respondents were told.
func (s *Store) UpdateCampaign(ctx context.Context, id int64, in CampaignInput) (*Campaign, error) {
	if err := in.normalize(); err != nil {
		return nil, err
	}
	var c Campaign
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&c, id).Error; err != nil {
			return err
		}
		if c.State != StateDraft {
			return Errorf(ECONFLICT, "campaign %q is %s: only a draft can be edited", c.Name, c.State)
		}
		if err := fillCampaign(tx, &c, in); err != nil {
			return err
		}
		if err := tx.Save(&c).Error; err != nil {
			return err
		}
		if err := tx.Where("campaign_id = ?", c.ID).Delete(&CampaignTeam{}).Error; err != nil {
			return err
		}
		if err := saveCampaignTeams(tx, &c); err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditCampaignEdited, campaignObject(&c), campaignDetail(&c))
	})
	return &c, storeError(err, "campaign")
}

func fillCampaign(tx *gorm.DB, c *Campaign, in CampaignInput) error {
	var q Questionnaire
	if err := tx.Select("id").Take(&q, in.QuestionnaireID).Error; err != nil {
		return FieldError(EINVALID, "questionnaire_id", "questionnaire %d does not exist", in.QuestionnaireID)
	}
	var teams []Team
	if err := active(tx).Find(&teams).Error; err != nil {
		return err
	}
	tree := NewTree(teams)
	seen := map[int64]bool{}
	c.TeamIDs = nil
	for _, code := range in.TeamCodes {
		t := tree.ByCode(code)
		if t == nil {
			return FieldError(EINVALID, "team_codes", "team %q does not exist", code)
		}
		for _, id := range tree.Subtree(t.ID) {
			if !seen[id] {
				seen[id] = true
				c.TeamIDs = append(c.TeamIDs, id)
			}
		}
	}
	c.Name, c.QuestionnaireID = in.Name, in.QuestionnaireID
	c.OpensOn, c.ClosesOn = in.OpensOn, in.ClosesOn
	c.MinGroup, c.AccessMode, c.LiveResults, c.RetentionDays = in.MinGroup, in.AccessMode, in.LiveResults, in.RetentionDays
	c.Unanimous = in.Unanimous
	return nil
}

func saveCampaignTeams(tx *gorm.DB, c *Campaign) error {
	links := make([]CampaignTeam, len(c.TeamIDs))
	for i, id := range c.TeamIDs {
		links[i] = CampaignTeam{CampaignID: c.ID, TeamID: id}
	}
	return tx.CreateInBatches(links, 500).Error
}

// Campaign returns one campaign with its teams.
func (s *Store) Campaign(ctx context.Context, id int64) (*Campaign, error) {
	return campaignIn(s.read.WithContext(ctx), id)
}

func campaignIn(db *gorm.DB, id int64) (*Campaign, error) {
	var c Campaign
	if err := db.Take(&c, id).Error; err != nil {
		return nil, storeError(err, fmt.Sprintf("campaign %d", id))
	}
	err := db.Model(&CampaignTeam{}).Where("campaign_id = ?", id).Order("team_id").Pluck("team_id", &c.TeamIDs).Error
	return &c, storeError(err, "campaign teams")
}

// Campaigns lists every campaign, newest first, without their team lists.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	var cs []Campaign
	err := s.read.WithContext(ctx).Order("opens_on DESC, id DESC").Find(&cs).Error
	return cs, storeError(err, "campaigns")
}

// OpenCampaign starts taking answers (from the opening date); its
// threshold is frozen from now on.
func (s *Store) OpenCampaign(ctx context.Context, id int64) (*Campaign, error) {
	return s.moveCampaign(ctx, id, StateDraft, StateOpen)
}

// CloseCampaign stops answers for good; managers see figures from now on.
func (s *Store) CloseCampaign(ctx context.Context, id int64) (*Campaign, error) {
	return s.moveCampaign(ctx, id, StateOpen, StateClosed)
}

func (s *Store) moveCampaign(ctx context.Context, id int64, from, to string) (*Campaign, error) {
	var c *Campaign
	flushed := 0
	var forgot int64 // mail addresses deleted on closing
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if c, err = campaignIn(tx, id); err != nil {
			return err
		}
		if c.State != from {
			return Errorf(ECONFLICT, "campaign %q is %s: it cannot become %s", c.Name, c.State, to)
		}
		c.State = to
		if to == StateOpen {
			if err := freezeTree(tx, c); err != nil {
				return err
			}
		}
		if err := tx.Model(c).Updates(map[string]any{"state": to, "updated_at": tx.NowFunc()}).Error; err != nil {
			return err
		}
		if to == StateClosed { // closing flushes the mixing stage, in the same transaction
			def, err := s.Definition(ctx, c.QuestionnaireID)
			if err != nil {
				return err
			}
			if flushed, _, err = s.flushTx(tx, c, def, true, 0); err != nil {
				return err
			}
			if forgot, err = forgetCampaignRecipients(tx, c.ID); err != nil {
				return err
			}
		}
		return RecordAudit(tx, ctx, campaignMoves[to], campaignObject(c), DataDetail(c.Name))
	})
	if err == nil && (flushed > 0 || forgot > 0) {
		s.truncateWAL(ctx)
	}
	return c, storeError(err, "campaign")
}

// campaignMoves names the audit action of each state change.
var campaignMoves = map[string]string{StateOpen: AuditCampaignOpened, StateClosed: AuditCampaignClosed}

func campaignObject(c *Campaign) string { return "campaign " + itoa(int(c.ID)) }

// campaignDetail states what HR set, thresholds included, for the audit log.
func campaignDetail(c *Campaign) AuditDetail {
	return Detail("campaign", "%s: %s to %s, %d teams, k=%d, %s, retention %d days",
		c.Name, Day(c.OpensOn), Day(c.ClosesOn), len(c.TeamIDs), c.MinGroup, Term{Key: "console.access." + c.AccessMode, Code: c.AccessMode}, c.RetentionDays)
}
