package analytics

import "digigap/survey"

// Disclosure by homogeneity (issue 15, point 9)
//
// A share of 0 % or 100 % tells every member of the group their answer:
// "100 % use SMS weekly at work" names each one's habit. Under the policy
// survey.UnanimousThreshold, the campaign's setting frozen at opening like
// k, such a share is shown only from 2k respondents; below, the figure is
// withheld with the reason "unanimous". Withholding it alone would not do:
// a parent minus its shown children gives the residual's counts, so the
// residual rule of suppress.go is applied to the residual's answers too —
// when what a shown group leaves once its shown sub-groups are taken out
// is under 2k people who all answered alike, the smallest sub-group is
// withheld as well. Withholding after the decision only merges atoms
// (disclose.go), so the set rules still hold.
//
// The rule covers the shares that describe what people do or think: P and
// Q of each channel (the Gap, the index and changes follow the cell), the
// all-channel shares, each barrier and each culture answer. A figure of
// 0 % on a barrier or an agreement answer says "nobody chose it", which
// names no one's answer among several, so for those only 100 % counts.

// unanimousRule says which counts of a filter's figure must not be
// unanimous: for each node, the n and the counts of each share.
type unanimousRule struct {
	n      func(t []int64) int64
	counts func(t []int64) []int64
	zero   bool // a count of 0 is unanimous too (a yes/no share)
}

// unanimousRuleOf returns the rule for filter f, or false when none applies.
func (v *view) unanimousRuleOf(f string) (unanimousRule, bool) {
	for c, id := range v.layout.Channels {
		if f == channelFilter(id) {
			base := v.layout.ChannelBase(c)
			return unanimousRule{zero: true,
				n: func(t []int64) int64 { return channelN(t, base) },
				counts: func(t []int64) []int64 {
					return []int64{t[base+survey.ChA] + t[base+survey.ChB], t[base+survey.ChA] + t[base+survey.ChC]}
				}}, true
		}
	}
	if f == filterAllChannels {
		return unanimousRule{zero: true, n: func(t []int64) int64 { return t[survey.CountAllAnswered] },
			counts: func(t []int64) []int64 { return []int64{t[survey.CountAllPrivate], t[survey.CountAllWork]} }}, true
	}
	for _, b := range v.layout.Barriers {
		if f == barrierFilter(b.Item.ID) || f == barrierGapFilter(b.Item.ID) {
			b, gap := b, f == barrierGapFilter(b.Item.ID)
			return unanimousRule{
				n: func(t []int64) int64 {
					if gap {
						return t[b.AnsweredGap]
					}
					return t[b.Answered]
				},
				counts: func(t []int64) []int64 {
					out := make([]int64, len(b.Options))
					for o := range out {
						if gap {
							out[o] = t[b.Base+2*o+1]
						} else {
							out[o] = t[b.Base+2*o]
						}
					}
					return out
				}}, true
		}
	}
	for _, b := range v.layout.Culture {
		if f == cultureFilter(b.Item.ID) {
			b := b
			return unanimousRule{n: func(t []int64) int64 { return cultureN(b, t) },
				counts: func(t []int64) []int64 { return t[b.Base : b.Base+len(b.Options)] }}, true
		}
	}
	return unanimousRule{}, false
}

// shownUnanimous returns where filter f's figures may be shown once the
// campaign's unanimous-cell policy is applied, and where they are
// withheld for it (the reason shown instead of "fewer than k").
func (v *view) shownUnanimous(f string) (shown, unanimous []bool) {
	if v.shownU == nil {
		v.shownU, v.unanimousU = map[string][]bool{}, map[string][]bool{}
	}
	if s, ok := v.shownU[f]; ok {
		return s, v.unanimousU[f]
	}
	shown = v.dec.shown(f)
	rule, ok := v.unanimousRuleOf(f)
	if ok && v.camp.Unanimous != survey.UnanimousDisclose {
		shown, unanimous = withholdUnanimous(v.org, v.total, shown, rule, 2*v.k)
	}
	v.shownU[f], v.unanimousU[f] = shown, unanimous
	return shown, unanimous
}

// withholdUnanimous withholds the shown figures of fewer than min people
// who all answered alike, then, from the leaves up, a sub-group of any
// shown group whose residual is such a set (suppress.go's loop).
func withholdUnanimous(o *org, total [][]int64, in []bool, rule unanimousRule, min int64) (shown, unanimous []bool) {
	shown, unanimous = append([]bool(nil), in...), make([]bool, o.len())
	n := make([]int64, o.len())
	for i := range n {
		n[i] = rule.n(total[i])
	}
	alike := func(r int64, counts []int64) bool { return alikeUnder(r, counts, min, rule.zero) }
	for i := range shown {
		if shown[i] && alike(n[i], rule.counts(total[i])) {
			shown[i], unanimous[i] = false, true
		}
	}
	var cover []int
	for j := len(o.pre) - 1; j >= 0; j-- { // children before parents
		i := o.pre[j]
		if !shown[i] {
			continue
		}
		for {
			cover = o.cover(i, shown, cover[:0])
			if len(cover) == 0 {
				break
			}
			r, counts := n[i], append([]int64(nil), rule.counts(total[i])...)
			for _, d := range cover {
				r -= n[d]
				for x, c := range rule.counts(total[d]) {
					counts[x] -= c
				}
			}
			if !alike(r, counts) {
				break
			}
			d := pickWithheld(o, n, shown, cover)
			shown[d], unanimous[d] = false, true
		}
	}
	return shown, unanimous
}

// unanimousAcrossBands applies the residual rule across the bands of a
// profile item: a group's shown channel cell minus its shown bands' cells
// must not leave fewer than 2k people who all answered alike, or the
// smallest shown band's cell is withheld too.
func unanimousAcrossBands(v *view, bands []*view) {
	if v.camp.Unanimous == survey.UnanimousDisclose {
		return
	}
	for c, id := range v.layout.Channels {
		rule, _ := v.unanimousRuleOf(channelFilter(id))
		overall := v.channelShown(c)
		for i := range v.org.ids {
			if !overall[i] {
				continue
			}
			for {
				r, counts, smallest := rule.n(v.total[i]), append([]int64(nil), rule.counts(v.total[i])...), -1
				for b, bv := range bands {
					if bv.channelShown(c)[i] {
						n := rule.n(bv.total[i])
						r -= n
						for x, k := range rule.counts(bv.total[i]) {
							counts[x] -= k
						}
						if smallest < 0 || n < rule.n(bands[smallest].total[i]) {
							smallest = b
						}
					}
				}
				if smallest < 0 || !alikeUnder(r, counts, 2*v.k, rule.zero) {
					break
				}
				bands[smallest].channelShown(c)[i] = false
			}
		}
	}
}

// alikeUnder reports r people, fewer than min, who all answered alike.
func alikeUnder(r int64, counts []int64, min int64, zero bool) bool {
	if r <= 0 || r >= min {
		return false
	}
	for _, c := range counts {
		if c == r || zero && c == 0 {
			return true
		}
	}
	return false
}
