package analytics

import (
	"context"

	"digigap/survey"
)

// checkCampaignScope refuses (EFORBIDDEN, naming nothing but the id) a
// campaign that covered no team of a manager's subtree: its name, dates
// and threshold are metadata they may not read, so no figure of it (nor a
// comparison or a trend through it) may leave the engine. It runs as soon
// as the engine opens a campaign, before any message can name it, and so
// covers every route, page, export and compare= alike. HR sees every wave.
func (e *Engine) checkCampaignScope(ctx context.Context, scope survey.Scope, campaignID int64) error {
	if scope.All {
		return nil
	}
	var teams []int64
	err := e.st.ReadDB().WithContext(ctx).Model(&survey.CampaignTeam{}).
		Where("campaign_id = ?", campaignID).Pluck("team_id", &teams).Error
	if err != nil {
		return err
	}
	o, err := e.org(ctx)
	if err != nil {
		return err
	}
	return scope.CheckCampaign(o.tree, &survey.Campaign{ID: campaignID, TeamIDs: teams})
}
