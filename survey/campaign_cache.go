package survey

import (
	"context"
	"sync"
	"time"
)

// campaignTTL is how long a submission may rely on a cached campaign. The
// write transaction re-reads its state, so a campaign closed meanwhile is
// still refused exactly; the cache only spares loading its team list (up
// to thousands of rows) for every answer.
const campaignTTL = 2 * time.Second

type cachedCampaign struct {
	c       *Campaign
	fetched time.Time
}

// caches are a store's read-through caches, shared by its WithClock copies.
type caches struct {
	definitions sync.Map   // questionnaire id → *Definition
	campaigns   sync.Map   // campaign id → cachedCampaign
	loading     sync.Mutex // held while a campaign is read into campaigns
	opened      openedCache
}

// submitCampaign returns the campaign with a set of its teams, from a
// short-lived cache.
func (s *Store) submitCampaign(ctx context.Context, id int64) (*Campaign, error) {
	if v, ok := s.caches.campaigns.Load(id); ok {
		if e := v.(cachedCampaign); time.Since(e.fetched) < campaignTTL {
			return e.c, nil
		}
	}
	// One loader at a time: when the entry expires under load, the
	// submissions arriving meanwhile wait for its reload instead of each
	// reading the campaign and its team list again.
	s.caches.loading.Lock()
	defer s.caches.loading.Unlock()
	if v, ok := s.caches.campaigns.Load(id); ok {
		if e := v.(cachedCampaign); time.Since(e.fetched) < campaignTTL {
			return e.c, nil
		}
	}
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	c.teamSet = make(map[int64]bool, len(c.TeamIDs))
	for _, t := range c.TeamIDs {
		c.teamSet[t] = true
	}
	s.caches.campaigns.Store(id, cachedCampaign{c: c, fetched: time.Now()})
	return c, nil
}
