package analytics

import (
	"math"

	"digigap/survey"
)

// What an interval covers (DESIGN.md, "Metrics")
//
// Answers cluster by team: colleagues share tools, rules and habits, so a
// bank-wide share is not worth as many independent answers as it has
// respondents. Every interval of P, Q and the Gap therefore uses Kish's
// effective sample size (Kish L, 1965, "Survey Sampling", Wiley, §8.2):
//
//	n_eff = n / (deff − 1 + fpc)
//
// deff, the design effect, is the cluster-robust (ratio-estimator)
// variance of the group's mean over the variance of a simple random sample
// of the same n; the clusters are the finest partition of the group that
// the shown figures determine (below). It is never taken below 1: few
// clusters estimate it poorly, and an interval must not narrow because of
// that. fpc = 1 − n/N is the finite-population correction, N the
// headcount the campaign froze when it opened (only for a group's
// figures, not a band's, whose population is unknown; none when n > N, a
// headcount out of date). Only the within-team part of the variance (the
// 1 in deff = 1 + (deff − 1)) shrinks with fpc: all teams are surveyed,
// and how much they differ is no sampling of people that a higher
// participation would exhaust. The interval is then computed as DESIGN.md says
// on the table scaled to n_eff: Wilson (1927) for P and Q, Newcombe
// (1998, paired, method 10) for the Gap. It measures sampling error
// only: whether those who did not answer differ from those who did is
// not in it.
//
// The adoption gap index gets the same treatment on its respondents'
// scores (index.go), and the trend's changes are differences of two such
// intervals (trend.go).
//
// Disclosure: the clusters are not teams but the sets a reader can
// already compute: for every shown group g of the channel inside the
// group, g's figure minus those of its nearest shown descendants. Each is
// a difference of decided figures, a union of atoms (disclose.go), so the
// interval releases nothing the decision has not seen.

// clusterSums accumulates, over the clusters of a group, what the
// cluster-robust variance of the three means (P, Q, Gap) needs: with y the
// cluster's count (a+b, a+c, b−c) and n its respondents, Σn², Σyn and Σy².
type clusterSums struct {
	m                      float64 // clusters with respondents
	nn                     float64
	pn, pp, qn, qq, dn, dd float64
}

func (s *clusterSums) add(o *clusterSums) {
	s.m += o.m
	s.nn += o.nn
	s.pn, s.pp, s.qn, s.qq, s.dn, s.dd = s.pn+o.pn, s.pp+o.pp, s.qn+o.qn, s.qq+o.qq, s.dn+o.dn, s.dd+o.dd
}

// addCluster adds one cluster's 2×2 table.
func (s *clusterSums) addCluster(a, b, c, d float64) {
	n := a + b + c + d
	if n <= 0 {
		return
	}
	yp, yq, yd := a+b, a+c, b-c
	s.m++
	s.nn += n * n
	s.pn, s.pp = s.pn+yp*n, s.pp+yp*yp
	s.qn, s.qq = s.qn+yq*n, s.qq+yq*yq
	s.dn, s.dd = s.dn+yd*n, s.dd+yd*yd
}

// Design is what a group's figures of one channel need beyond its counts:
// the design effects of P, Q and the Gap and the finite-population
// correction. The zero Design is a simple random sample.
type Design struct {
	Clusters     int
	DeffP, DeffQ float64
	DeffGap      float64
	FPC          float64 // 1 − n/N; 1 without a usable headcount
	Population   int     // N, the frozen headcount (0: unknown)
}

// deff is the cluster-robust variance of the ratio mean Σy/n (m clusters,
// sandwich estimator with the m/(m−1) correction) over the variance
// varUnit/n of a simple random sample of n; never below 1.
func deff(m, n, mean, sumYN, sumYY, nn, varUnit float64) float64 {
	if m < 2 || varUnit <= 0 || n <= 0 {
		return 1
	}
	ss := sumYY - 2*mean*sumYN + mean*mean*nn // Σ (y_g − mean·n_g)²
	vCluster := m / (m - 1) * ss / (n * n)
	return max(1, vCluster/(varUnit/n))
}

// designOf computes the Design of a group from its total table and its
// cluster sums; population is its frozen headcount (0: none applies).
func designOf(block []int64, s *clusterSums, population int) Design {
	a, b, c, d := float64(block[survey.ChA]), float64(block[survey.ChB]), float64(block[survey.ChC]), float64(block[survey.ChD])
	n := a + b + c + d
	ds := Design{Clusters: int(s.m), DeffP: 1, DeffQ: 1, DeffGap: 1, FPC: 1, Population: population}
	if n <= 0 {
		return ds
	}
	p, q, g := (a+b)/n, (a+c)/n, (b-c)/n
	ds.DeffP = deff(s.m, n, p, s.pn, s.pp, s.nn, p*(1-p))
	ds.DeffQ = deff(s.m, n, q, s.qn, s.qq, s.nn, q*(1-q))
	ds.DeffGap = deff(s.m, n, g, s.dn, s.dd, s.nn, (b+c)/n-g*g)
	if population > 0 && n <= float64(population) {
		ds.FPC = 1 - n/float64(population)
	}
	return ds
}

// channelDesigns returns, per node, the Design of channel ch's figures:
// the clusters of node i are the residuals of the shown groups of its
// subtree (see above). shown is the channel's decision per node.
func (v *view) channelDesigns(ch int, shown []bool) []Design {
	o, base := v.org, v.layout.ChannelBase(ch)
	// below[i]: the table of the nearest shown descendants of i, summed.
	below := make([][4]int64, o.len())
	sums := make([]clusterSums, o.len())
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		if shown[i] {
			t := v.total[i][base:]
			var r [4]float64
			for x := range 4 {
				r[x] = float64(t[x] - below[i][x])
			}
			sums[i].addCluster(r[0], r[1], r[2], r[3])
		}
		p := o.parent[i]
		if p < 0 {
			continue
		}
		sums[p].add(&sums[i])
		for x := range 4 {
			if shown[i] {
				below[p][x] += v.total[i][base+x]
			} else {
				below[p][x] += below[i][x]
			}
		}
	}
	hc := v.populations()
	out := make([]Design, o.len())
	for i := range out {
		if shown[i] {
			out[i] = designOf(v.total[i][base:base+survey.ChannelWidth], &sums[i], hc[i])
		}
	}
	return out
}

// populations are the frozen headcounts of the covered teams of each
// group (population.go) when a finite-population correction applies (a
// group's figures on its frozen tree), else zeros.
func (v *view) populations() []int {
	if v.noFPC || v.org.frozenHC == nil {
		return make([]int, v.org.len())
	}
	return v.population()
}

// designedFigures is channelFigures with intervals on the effective sample
// of ds (Kish): the point figures do not change, only the intervals.
func designedFigures(block []int64, ds Design) ChannelFigures {
	f := channelFigures(block)
	if f.N == 0 || ds.DeffP == 0 {
		return f
	}
	a, b, c, d := float64(block[survey.ChA]), float64(block[survey.ChB]), float64(block[survey.ChC]), float64(block[survey.ChD])
	n := a + b + c + d
	f.Design = ds
	if ds.factor(ds.DeffP) <= 0 { // a census of one team: no sampling error
		f.PCI, f.QCI, f.GapCI = Interval{f.P, f.P}, Interval{f.Q, f.Q}, Interval{f.Gap, f.Gap}
		return f
	}
	f.PCI = wilsonFloat(f.P, n/ds.factor(ds.DeffP))
	f.QCI = wilsonFloat(f.Q, n/ds.factor(ds.DeffQ))
	s := 1 / ds.factor(ds.DeffGap)
	ne := n * s
	_, f.GapCI = pairedDifferenceFloat(a*s, b*s, c*s, d*s, wilsonFloat(f.P, ne), wilsonFloat(f.Q, ne))
	return f
}

// factor is the variance of a mean relative to a simple random sample of
// the same n: the part the clustering adds (deff − 1) is between teams, a
// property of the organisation that answering more does not remove, and
// gets no correction; the part within teams (1) shrinks with the share of
// members who answered (fpc).
func (ds Design) factor(deff float64) float64 { return deff - 1 + ds.FPC }

// halfWidth is the larger half of an interval around v.
func halfWidth(v float64, ci Interval) float64 { return math.Max(v-ci.Low, ci.High-v) }

// WideHalfWidth is the Gap half-width from which a figure is marked as
// imprecise on the charts and tables (20 percentage points).
const WideHalfWidth = 0.20

// Wide says the Gap's interval is too wide to read the figure alone.
func (f *ChannelFigures) Wide() bool { return halfWidth(f.Gap, f.GapCI) > WideHalfWidth }

// fpcOf is ds's finite-population correction, 1 when none was computed.
func fpcOf(ds Design) float64 {
	if ds.DeffP == 0 {
		return 1
	}
	return ds.FPC
}
