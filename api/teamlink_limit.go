package api

import (
	"sync"
	"time"

	"digigap/survey"
)

// DefaultTeamLinkRate is how many answers a team link takes a minute on
// one instance, and its burst: a branch meeting answering together passes,
// a script filling a team with known answers is slowed down. The hard
// guard is the team's headcount, checked in the database.
const DefaultTeamLinkRate = 30

// linkLimiter is a token bucket per team link (campaign and team), in this
// instance's memory. It is kept in memory on purpose: a bucket in the
// database would record when each team last answered, a time the anonymity
// rules forbid storing next to answers. With several instances each keeps
// its own buckets, so the rate is per instance; the headcount cap, in the
// database, holds whatever the number of instances. Keys are the resolved
// link's ids, never a request's borrowed strings, and only real links get
// a bucket, so the map is bounded by the links that exist.
type linkLimiter struct {
	mu      sync.Mutex
	perMin  float64
	now     func() time.Time
	buckets map[[2]int64]*linkBucket
}

type linkBucket struct {
	tokens float64
	at     time.Time
}

// sweepAbove is the map size from which full (idle) buckets are dropped.
const sweepAbove = 4096

func newLinkLimiter(perMinute int, now func() time.Time) *linkLimiter {
	if perMinute <= 0 {
		perMinute = DefaultTeamLinkRate
	}
	return &linkLimiter{perMin: float64(perMinute), now: now, buckets: map[[2]int64]*linkBucket{}}
}

// take spends one answer of the link's bucket, or refuses with ETOOMANY.
func (l *linkLimiter) take(campaignID, teamID int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	key := [2]int64{campaignID, teamID}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= sweepAbove {
			l.sweep(now)
		}
		b = &linkBucket{tokens: l.perMin, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.perMin, b.tokens+now.Sub(b.at).Minutes()*l.perMin)
	b.at = now
	if b.tokens < 1 {
		return survey.FieldError(survey.ETOOMANY, "team_link",
			"this team link is taking many answers at once: please wait a minute and submit again").Keyed("teamlink.busy")
	}
	b.tokens--
	return nil
}

// sweep drops the buckets that have refilled: they hold nothing to remember.
func (l *linkLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Minutes()*l.perMin >= l.perMin {
			delete(l.buckets, k)
		}
	}
}
