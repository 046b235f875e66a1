package survey

import "sync"

// openedCache keeps the answers this process put in the mixing stage,
// already opened and with their team, until a flush moves them: a flush
// then reads only the ids waiting (a scan of the stage's key) and opens
// from the database only the rows another instance, or an earlier run,
// wrote. It holds nothing the process did not hold anyway (it sealed them),
// and at most openedCacheMax answers, so that a wave of small teams left
// waiting for weeks cannot grow the memory without bound.
type openedCache struct {
	mu   sync.Mutex
	by   map[int64]map[string]*cachedAnswer // campaign → pending id → answer
	n    int
	seen uint64 // answers remembered so far: marks when each was
}

// cachedAnswer is an answer of the cache with its mark: the value of seen
// when it was remembered.
type cachedAnswer struct {
	*pendingAnswer
	mark uint64
}

const openedCacheMax = 50_000

// remember keeps the answer a committed submission left in the stage.
func (c *openedCache) remember(p *preparedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= openedCacheMax {
		return
	}
	if c.by == nil {
		c.by = map[int64]map[string]*cachedAnswer{}
	}
	m := c.by[p.Campaign.ID]
	if m == nil {
		m = map[string]*cachedAnswer{}
		c.by[p.Campaign.ID] = m
	}
	if _, ok := m[p.PendingID]; !ok {
		c.seen++
		m[p.PendingID] = &cachedAnswer{&pendingAnswer{ID: p.PendingID, Response: p.Response, TokenHash: p.TokenHash}, c.seen}
		c.n++
	}
}

// mark is taken before a flush reads the ids waiting: what is remembered
// after it may have committed after that read, so lookup keeps it.
func (c *openedCache) mark() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen
}

// lookup splits the ids waiting for campaign, read after mark, into the
// answers known here and the ids to open from the database, and forgets
// what no longer waits (moved by another instance, or by a flush whose
// commit this one saw). An answer remembered after mark is kept: on
// PostgreSQL the writer commits beside the flush, and its answers, not in
// the flush's read, would else be opened again from the database.
func (c *openedCache) lookup(campaignID int64, ids []string, mark uint64) (known []*pendingAnswer, unknown []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.by[campaignID]
	waiting := make(map[string]bool, len(ids))
	for _, id := range ids {
		waiting[id] = true
		if a, ok := m[id]; ok {
			known = append(known, a.pendingAnswer)
		} else {
			unknown = append(unknown, id)
		}
	}
	for id, a := range m {
		if !waiting[id] && a.mark <= mark {
			delete(m, id)
			c.n--
		}
	}
	return known, unknown
}

// forget drops answers a flush moved.
func (c *openedCache) forget(campaignID int64, batch []*pendingAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.by[campaignID]
	for _, a := range batch {
		if _, ok := m[a.ID]; ok {
			delete(m, a.ID)
			c.n--
		}
	}
}

// campaigns lists the campaigns with answers known here.
func (c *openedCache) campaigns() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]int64, 0, len(c.by))
	for id, m := range c.by {
		if len(m) > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// waiting lists the answers of campaign known here, in no useful order.
func (c *openedCache) waiting(campaignID int64) []*pendingAnswer {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.by[campaignID]
	out := make([]*pendingAnswer, 0, len(m))
	for _, a := range m {
		out = append(out, a.pendingAnswer)
	}
	return out
}
