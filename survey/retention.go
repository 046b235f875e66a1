package survey

import (
	"context"

	"gorm.io/gorm"
)

// PurgeResult says what a retention run deleted, per campaign.
type PurgeResult struct {
	Campaigns []int64 `json:"campaigns"`
	Responses int64   `json:"responses"`
}

// PurgeDue is the first day on which a campaign's raw responses may go:
// its closing date plus its retention period, plus one day.
func (c *Campaign) PurgeDue() (string, error) {
	if _, err := ParseDay(c.ClosesOn); err != nil {
		return "", err
	}
	return AddDays(c.ClosesOn, c.RetentionDays+1), nil
}

// PurgeResponses deletes the raw responses (rows of responses, nothing
// else) of every closed campaign whose retention period has passed. The
// campaigns, their invitations and any aggregate table stay, so charts
// built from aggregates survive. Each campaign is purged in one transaction
// with its audit entry; running it twice deletes nothing more.
func (s *Store) PurgeResponses(ctx context.Context) (*PurgeResult, error) {
	// Answers still mixing reach the counters first, or they would be lost.
	if _, err := s.MixPending(ctx); err != nil {
		return nil, err
	}
	var cs []Campaign
	if err := s.read.WithContext(ctx).Find(&cs).Error; err != nil {
		return nil, storeError(err, "campaigns")
	}
	today := s.Today()
	res := &PurgeResult{Campaigns: []int64{}}
	for i := range cs {
		c := &cs[i]
		due, err := c.PurgeDue()
		if err != nil || c.State == StateDraft || today < due { // past due implies past closing
			continue
		}
		n, err := s.purgeCampaign(ctx, c)
		if err != nil {
			return res, err
		}
		if n > 0 {
			res.Campaigns = append(res.Campaigns, c.ID)
			res.Responses += n
		}
	}
	return res, nil
}

func (s *Store) purgeCampaign(ctx context.Context, c *Campaign) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		del := tx.Where("campaign_id = ?", c.ID).Delete(&Response{})
		if del.Error != nil || del.RowsAffected == 0 {
			return del.Error
		}
		n = del.RowsAffected
		detail := Detail("responses_purged", "%d raw responses past %d days of retention after %s", n, c.RetentionDays, Day(c.ClosesOn))
		return RecordAudit(tx, ctx, AuditResponsesPurged, campaignObject(c), detail)
	})
	return n, storeError(err, "purge")
}
