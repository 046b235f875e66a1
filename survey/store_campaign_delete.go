package survey

import (
	"context"

	"gorm.io/gorm"
)

// AuditCampaignDeleted records a draft campaign removed by HR.
const AuditCampaignDeleted = "campaign.deleted"

// DeleteCampaign removes a draft campaign, a mistake or a test HR no longer
// wants in the list. A campaign that has opened is kept: respondents were
// told it exists, and its answers belong to the history.
func (s *Store) DeleteCampaign(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Campaign
		if err := tx.Take(&c, id).Error; err != nil {
			return err
		}
		if c.State != StateDraft {
			return Errorf(ECONFLICT, "campaign %q is %s: only a draft can be deleted", c.Name, c.State).Keyed("campaign_not_draft", c.Name)
		}
		if err := tx.Where("campaign_id = ?", id).Delete(&CampaignTeam{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Campaign{}, id).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditCampaignDeleted, campaignObject(&c), DataDetail(c.Name))
	})
	return storeError(err, "campaign")
}
