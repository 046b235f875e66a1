package analytics

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"digigap/survey"
)

// Protections are the parts of the disclosure model. All are on in the
// product; the attacker tests switch one off to show what it guards
// against (issue 12's cases).
type Protections struct {
	Atoms      bool // one decision over all released sets (else one rule per measure)
	FrozenTree bool // figures on the campaign's own tree (else today's)
	LiveEpochs bool // closing a live-results wave keeps its snapshot's atoms safe
	Comments   bool // free text over its own atoms (else ≥ 10 per group)
}

var (
	protectMu sync.RWMutex
	protect   = AllProtections()
)

// AllProtections is the product's setting.
func AllProtections() Protections { return Protections{true, true, true, true} }

// SetProtections is for tests only: it switches protections and returns a
// function restoring the previous ones. Decisions are neither cached nor
// stored while any protection is off.
func SetProtections(p Protections) (restore func()) {
	protectMu.Lock()
	old := protect
	protect = p
	protectMu.Unlock()
	return func() { SetProtections(old) }
}

func protections() Protections {
	protectMu.RLock()
	defer protectMu.RUnlock()
	return protect
}

// decisions caches decoded stored decisions (immutable once stored), with
// the org their node positions refer to.
type decisions struct{ m sync.Map }

type cachedDecision struct {
	o *org
	d *decision
}

// disclosureOf returns what view v may show: the stored decision of the
// campaign's state when the view reads closed figures or a live snapshot,
// computed and stored on first use; else (participation of an open wave,
// or a campaign closed before this release whose raw answers are purged)
// the rule per measure of suppress.go on the counters, the best that
// aggregates allow.
func (e *Engine) disclosureOf(ctx context.Context, v *view) (disclosure, error) {
	p := protections()
	legacy := &legacyDecision{v: v, cache: map[string][]bool{}}
	if !v.figures || !p.Atoms {
		return legacy, nil
	}
	var basis string
	live := v.snapshot
	if live {
		basis = basisLive(rootsTotal(v))
	} else {
		basis = basisClosed(rootsTotal(v))
	}
	cacheKey := strconv.FormatInt(v.camp.ID, 10) + "/" + basis
	stable := p == AllProtections()
	if stable {
		if c, ok := e.decided.m.Load(cacheKey); ok && c.(*cachedDecision).o == v.org {
			return c.(*cachedDecision).d, nil
		}
		blob, err := e.st.Decision(ctx, v.camp.ID, basis)
		if err != nil {
			return nil, err
		}
		if blob != nil {
			d, err := decodeDecision(v.org, blob)
			if err == nil {
				e.decided.m.Store(cacheKey, &cachedDecision{o: v.org, d: d})
			}
			return d, err
		}
	}
	answers, err := e.readAnswers(ctx, v.camp, v.def, v.org)
	if errors.Is(err, errNoAnswers) {
		return legacy, nil
	}
	if err != nil {
		return nil, err
	}
	var snaps []served
	if p.LiveEpochs && v.camp.LiveResults && stable {
		if snaps, err = e.servedSnapshots(ctx, v.org, v.camp.ID); err != nil {
			return nil, err
		}
	}
	d := decideCampaign(v, answers, live, snaps)
	if d == nil {
		return legacy, nil // snapshots written before this release
	}
	if !p.Comments {
		d.byKey[filterComments] = legacy.shown(filterComments)
	}
	if stable {
		blob, err := e.st.SaveDecision(ctx, v.camp.ID, basis, d.encode(v.org))
		if err != nil {
			return nil, err
		}
		if d, err = decodeDecision(v.org, blob); err != nil {
			return nil, err
		}
		e.decided.m.Store(cacheKey, &cachedDecision{o: v.org, d: d})
	}
	return d, nil
}

// servedSnapshots reads the live snapshot decisions a campaign served.
func (e *Engine) servedSnapshots(ctx context.Context, o *org, campaignID int64) ([]served, error) {
	blobs, err := e.st.Decisions(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	var out []served
	for basis, blob := range blobs {
		rest, ok := strings.CutPrefix(basis, "live:")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		d, err := decodeDecision(o, blob)
		if err != nil {
			return nil, err
		}
		out = append(out, served{n: n, d: d})
	}
	slices.SortFunc(out, func(a, b served) int { return cmp.Compare(a.n, b.n) })
	return out, nil
}

// decideCampaign decides a campaign's figures from its answers: for live
// snapshot state n over the answers of epoch 1..n, when closed over all;
// in both, the snapshots served before are fixed. It returns nil when the
// answers do not match the snapshot counters (snapshots taken before this
// release carry no epochs).
func decideCampaign(v *view, answers []answer, live bool, snaps []served) *decision {
	if !live {
		return decideAnswers(v.org, answers, v.k, filters(v.def, true), snaps)
	}
	n := rootsTotal(v)
	var in []answer
	for _, a := range answers {
		if a.epoch > 0 && a.epoch <= n {
			in = append(in, a)
		}
	}
	if int64(len(in)) != n {
		return nil
	}
	var before []served
	for _, sn := range snaps {
		if sn.n < n {
			before = append(before, sn)
		}
	}
	return decideAnswers(v.org, in, v.k, filters(v.def, false), before)
}

func rootsTotal(v *view) int64 {
	n := int64(0)
	for i := range v.org.ids {
		if v.org.parent[i] < 0 {
			n += v.total[i][survey.CountResponses]
		}
	}
	return n
}

// legacyDecision is the rule per measure of suppress.go, on the counters.
type legacyDecision struct {
	v     *view
	mu    sync.Mutex
	cache map[string][]bool
}

func (d *legacyDecision) shown(f string) []bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.cache[f]; ok {
		return s
	}
	v := d.v
	var s []bool
	switch {
	case f == filterAll:
		s = suppress(v.org, v.measure(survey.CountResponses), v.k, nil)
	case f == filterComments:
		groups := d.cache[filterAll]
		if groups == nil {
			groups = suppress(v.org, v.measure(survey.CountResponses), v.k, nil)
		}
		s = make([]bool, v.org.len())
		for i := range s {
			s[i] = groups[i] && v.total[i][survey.CountResponses] >= max(MinCommentGroup, v.k)
		}
	default:
		s = suppress(v.org, d.measure(f), v.k, d.groups())
	}
	d.cache[f] = s
	return s
}

func (d *legacyDecision) groups() []bool {
	if s, ok := d.cache[filterAll]; ok {
		return s
	}
	s := suppress(d.v.org, d.v.measure(survey.CountResponses), d.v.k, nil)
	d.cache[filterAll] = s
	return s
}

// measure is the n of filter f per group, from the counters.
func (d *legacyDecision) measure(f string) []int64 {
	v := d.v
	n := make([]int64, v.org.len())
	for i, t := range v.total {
		switch f {
		case filterGap:
			n[i] = t[survey.CountGapRespondents]
		case filterAllChannels:
			n[i] = t[survey.CountAllAnswered]
		}
		for c, id := range v.layout.Channels {
			if f == channelFilter(id) {
				n[i] = channelN(t, v.layout.ChannelBase(c))
			}
		}
		for _, b := range v.layout.Culture {
			if f == cultureFilter(b.Item.ID) {
				n[i] = cultureN(b, t)
			}
		}
		for _, b := range v.layout.Barriers {
			switch f {
			case barrierFilter(b.Item.ID):
				n[i] = t[b.Answered]
			case barrierGapFilter(b.Item.ID):
				n[i] = t[b.AnsweredGap]
			}
		}
	}
	return n
}

// DecideClosed stores the decision of every closed campaign that has none
// yet, skipping those in done (nil: none) and adding those it saw to it.
// The daily housekeeping runs it before the retention purge, since a
// decision needs the raw answers the purge deletes; serve also runs it
// every minute, so that a wave's decision is taken soon after it closes
// rather than by its first reader.
func (e *Engine) DecideClosed(ctx context.Context, done map[int64]bool) error {
	cs, err := e.st.Campaigns(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if done[c.ID] || c.Phase(e.st.Today()) != survey.PhaseClosed {
			continue
		}
		if _, err := e.open(ctx, survey.FullScope(), c.ID, "", true); err != nil {
			return err
		}
		if done != nil {
			done[c.ID] = true
		}
	}
	return nil
}
