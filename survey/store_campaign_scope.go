package survey

import "context"

// VisibleCampaigns lists the campaigns a caller may see, newest first: all
// of them for HR, for a manager those that covered part of their subtree,
// each with its team list cut down to what the scope allows.
func (s *Store) VisibleCampaigns(ctx context.Context, scope Scope) ([]*Campaign, error) {
	cs, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := s.HistoryTree(ctx)
	if err != nil {
		return nil, err
	}
	out := []*Campaign{}
	for _, brief := range cs {
		c, err := s.Campaign(ctx, brief.ID)
		if err != nil {
			return nil, err
		}
		if scope.CheckCampaign(tree, c) == nil {
			c.TeamIDs = scope.VisibleTeams(tree, c.TeamIDs)
			out = append(out, c)
		}
	}
	return out, nil
}

// VisibleCampaign returns one campaign if the caller may see it, with its
// team list cut down to the scope; EFORBIDDEN otherwise.
func (s *Store) VisibleCampaign(ctx context.Context, scope Scope, id int64) (*Campaign, error) {
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	tree, err := s.HistoryTree(ctx)
	if err != nil {
		return nil, err
	}
	if err := scope.CheckCampaign(tree, c); err != nil {
		return nil, err
	}
	c.TeamIDs = scope.VisibleTeams(tree, c.TeamIDs)
	return c, nil
}
