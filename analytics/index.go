package analytics

import (
	"math"

	"digigap/survey"
)

// The adoption gap index's interval
//
// The index of a group is the unweighted mean of its channel Gaps
// (DESIGN.md). How precisely it is known depends on how much respondents
// differ, which the channel intervals do not tell: a mean of their bounds
// (what the ranking drew before) ignores that one person's channels move
// together and is about twice too wide at small n. So each respondent
// gets a score, the mean over the channels whose two frequency questions
// they answered of their own gap there (+1 regular privately only, −1 at
// work only, 0 otherwise; survey/counter_index.go keeps n, Σscore and
// Σscore² per team), and the index's standard error is that of a mean of
// scores:
//
//	se² = (deff − 1 + fpc) · s² / n
//
// s² the scores' sample variance, n the respondents with a score, deff
// the cluster-robust design effect of the mean score with the same
// clusters as the channels (the residuals of the nearest groups whose
// index is shown, design.go) and fpc = 1 − n/N on the frozen headcount,
// as for the channels (Kish 1965, §8.2; the ratio-mean sandwich variance,
// e.g. Lohr 2019, "Sampling: Design and Analysis", §5.2 and §9.1). The
// interval is the normal one, index ± 1.96·se, clamped to [−1, 1],
// centred on the index itself: with every channel answered the index is
// exactly the mean score, and with skipped questions the two differ by
// how channels' n differ, a bias the interval does not claim to cover.
// Like every interval here it measures sampling error only, not whether
// those who did not answer differ.
//
// Disclosure: a group's index is shown only when every channel of it is
// (figures.go), so the respondents with a score are a union of atoms of
// the decision (disclose.go): each is touched by a shown channel figure
// of the group that the others are not. The clusters are differences of
// such sets. The interval therefore adds a second moment over sets of at
// least k people, never a figure of a withheld group; it is never
// computed where the index is withheld.

// IndexFigures is the precision of a group's adoption gap index.
type IndexFigures struct {
	N     int // respondents with a score (who answered a channel's two questions)
	HasCI bool
	CI    Interval
	SE    float64 // standard error, design-adjusted (the trend's difference needs it)
	Deff  float64
	FPC   float64
}

// indexSums are a group's score sums: n, Σscore and Σscore².
type indexSums struct{ n, sum, sumSq float64 }

func indexSumsOf(v []int64, l *survey.CounterLayout) indexSums {
	b := v[l.Index:]
	n := float64(b[survey.IndexN])
	return indexSums{n, float64(b[survey.IndexSum])/survey.IndexScale - n, float64(b[survey.IndexSumSq]) / (survey.IndexScale * survey.IndexScale)}
}

// indexShown is, per node, whether the group's index is shown: the group
// and every channel of it.
func (v *view) indexShown() []bool {
	out := make([]bool, v.org.len())
	for i := range out {
		out[i] = v.groups != nil && v.groups[i]
	}
	for c := range v.layout.Channels {
		sh := v.channelShown(c)
		for i := range out {
			out[i] = out[i] && sh[i]
		}
	}
	return out
}

// indexDesigns returns per node the index's design effect and fpc (zero
// where the index is withheld), over the residual clusters of shown.
func (v *view) indexDesigns(shown []bool) []Design {
	o, l := v.org, v.layout
	below := make([]indexSums, o.len())
	sums := make([]clusterSums, o.len())
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		t := indexSumsOf(v.total[i], l)
		if shown[i] {
			n, y := t.n-below[i].n, t.sum-below[i].sum
			if n > 0 {
				sums[i].m++
				sums[i].nn += n * n
				sums[i].dn += y * n
				sums[i].dd += y * y
			}
		}
		p := o.parent[i]
		if p < 0 {
			continue
		}
		sums[p].add(&sums[i])
		if shown[i] {
			below[p].n, below[p].sum = below[p].n+t.n, below[p].sum+t.sum
		} else {
			below[p].n, below[p].sum = below[p].n+below[i].n, below[p].sum+below[i].sum
		}
	}
	hc := v.populations()
	out := make([]Design, o.len())
	for i := range out {
		t := indexSumsOf(v.total[i], l)
		if !shown[i] || t.n <= 0 {
			continue
		}
		mean := t.sum / t.n
		d := deff(sums[i].m, t.n, mean, sums[i].dn, sums[i].dd, sums[i].nn, t.sumSq/t.n-mean*mean)
		out[i] = Design{Clusters: int(sums[i].m), DeffGap: d, DeffP: d, DeffQ: d, FPC: 1, Population: hc[i]}
		if hc[i] > 0 && t.n <= float64(hc[i]) {
			out[i].FPC = 1 - t.n/float64(hc[i])
		}
	}
	return out
}

// indexDesign reads the index designs once per view.
func (v *view) indexDesign() []Design {
	if v.idxDesigns == nil {
		v.idxDesigns = v.indexDesigns(v.indexShown())
	}
	return v.idxDesigns
}

// indexFigures is the interval of index, the shown index of node i.
func (v *view) indexFigures(i int, index float64) IndexFigures {
	t := indexSumsOf(v.total[i], v.layout)
	return indexCI(index, t, v.indexDesign()[i])
}

// indexCI is the design-adjusted normal interval around index of a
// group with score sums t; none below two scores (no variance to read,
// or vectors older than the index counters).
func indexCI(index float64, t indexSums, ds Design) IndexFigures {
	f := IndexFigures{N: int(t.n), Deff: ds.DeffGap, FPC: ds.FPC}
	if t.n < 2 || ds.DeffGap == 0 {
		return f
	}
	mean := t.sum / t.n
	s2 := max(0, t.sumSq-t.n*mean*mean) / (t.n - 1)
	f.SE = math.Sqrt(max(0, ds.factor(ds.DeffGap)) * s2 / t.n)
	f.HasCI = true
	f.CI = Interval{clamp(index-z95*f.SE, -1, index), clamp(index+z95*f.SE, index, 1)}
	return f
}

// degenerateIndex widens the interval of a group whose respondents all
// have the same score, and which is not a census of one team: the normal
// interval would have no width at all, as a Wilson interval never has.
// It then takes the mean of the channels' Gap bounds (Wilson-based, each
// design-adjusted), an upper bound of the index's interval since the
// standard error of a mean of estimates is at most the mean of theirs;
// its standard error is read back from its width, for the trend.
func degenerateIndex(f *IndexFigures, index float64, cells []GapCell) {
	if !f.HasCI || f.SE > 0 || ds0(f) {
		return
	}
	var iv Interval
	for _, c := range cells {
		iv.Low += c.GapCI.Low / float64(len(cells))
		iv.High += c.GapCI.High / float64(len(cells))
	}
	f.CI = Interval{clamp(iv.Low, -1, index), clamp(iv.High, index, 1)}
	f.SE = halfWidth(index, f.CI) / z95
}

// Wide says the index's interval is too wide to read it alone (the
// channels' rule, WideHalfWidth).
func (f IndexFigures) Wide(index float64) bool {
	return f.HasCI && halfWidth(index, f.CI) > WideHalfWidth
}

// ds0 says the index's variance factor is 0: a census of one team, whose
// interval rightly has no width.
func ds0(f *IndexFigures) bool { return f.Deff-1+f.FPC <= 0 }
