package api

import (
	"digigap/analytics"
	"digigap/survey"
)

// trend gathers the group's summary in every wave of the same
// questionnaire up to this one whose figures the caller may read, oldest
// first, and the change since the wave before this one.
func (g *groupData) trend() ([]*analytics.GroupSummary, *analytics.GapTable, error) {
	current, err := g.groupSummary()
	if err != nil {
		return nil, nil, err
	}
	all, err := g.store.Campaigns(g.ctx)
	if err != nil {
		return nil, nil, err
	}
	waves := []*analytics.GroupSummary{current}
	for _, c := range all {
		if c.ID == g.campaign.ID || c.OpensOn > g.campaign.OpensOn {
			continue
		}
		s, err := g.engine.Summary(g.ctx, g.scope, c.ID, g.team)
		if figuresHidden(err) {
			continue // an open wave, or one that never covered the caller's teams
		}
		if err != nil {
			return nil, nil, err
		}
		if s.Def.Key == current.Def.Key {
			waves = append(waves, s)
		}
	}
	analytics.SortWaves(waves)
	if len(waves) < 2 {
		return waves, nil, nil
	}
	prev := waves[len(waves)-2].Campaign.ID
	change, err := g.engine.GapTable(g.ctx, g.scope, analytics.GapQuery{CampaignID: g.campaign.ID, TeamID: g.team, Depth: 0, CompareID: prev})
	if err != nil && survey.ErrorCode(err) != survey.EINVALID {
		return nil, nil, err
	}
	return waves, change, nil
}
