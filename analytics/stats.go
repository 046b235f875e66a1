// Package analytics computes digigap's adoption-gap metrics (DESIGN.md) from the aggregate counters the survey store keeps, applies the anonymity rules, and draws the charts.
package analytics

import "math"

// z95 is the standard normal quantile for a two-sided 95 % interval.
const z95 = 1.959963984540054

// Interval is a confidence interval: proportions lie in [0,1], differences of
// proportions in [-1,1].
type Interval struct{ Low, High float64 }

// Mean returns sum/n, or 0 when there is nothing to average (n <= 0), so that
// empty groups never produce NaN.
func Mean(sum, n int) float64 {
	if n <= 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// Wilson returns the Wilson score 95 % interval for x successes out of n,
// the interval DESIGN.md prescribes for P and Q because it stays inside [0,1]
// and behaves at small n. With n <= 0 it returns the uninformative [0,1];
// x is clamped into [0,n].
func Wilson(x, n int) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	x = min(max(x, 0), n)
	return wilsonFloat(float64(x)/float64(n), float64(n))
}

// wilsonFloat is the Wilson interval of a proportion p observed on n
// respondents, n possibly fractional: an effective sample size (design.go).
// p = 0 and p = 1 keep their exact limits; n = +Inf gives [p,p].
func wilsonFloat(p, fn float64) Interval {
	if math.IsInf(fn, 1) {
		return Interval{p, p}
	}
	z2 := z95 * z95
	denom := 1 + z2/fn
	centre := (p + z2/(2*fn)) / denom
	half := z95 * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / denom
	ci := Interval{clamp(centre-half, 0, 1), clamp(centre+half, 0, 1)}
	// The limits at 0/n and n/n are exact; rounding must not move them.
	if p == 0 {
		ci.Low = 0
	}
	if p == 1 {
		ci.High = 1
	}
	return ci
}

// PairedDifference returns P − Q = (b − c)/n and its 95 % interval for a paired
// 2×2 table (a: P-yes Q-yes, b: P-yes Q-no, c: P-no Q-yes, d: neither), since P
// and Q of the Gap come from the same respondents.
//
// It is method 10 of Newcombe RG (1998), "Improved confidence intervals for the
// difference between binomial proportions based on paired data", Stat Med
// 17:2635–2650: the Wilson limits of both marginal proportions combined with
// the corrected phi of newcombePhi. With n <= 0 (or negative counts, read as
// 0) it returns 0 and [-1,1].
func PairedDifference(a, b, c, d int) (diff float64, ci Interval) {
	a, b, c, d = max(a, 0), max(b, 0), max(c, 0), max(d, 0)
	n := a + b + c + d
	if n == 0 {
		return 0, Interval{-1, 1}
	}
	return pairedDifference(a, b, c, d, Wilson(a+b, n), Wilson(a+c, n))
}

// pairedDifference is PairedDifference for a table with n > 0 and the
// Wilson intervals w1 of (a+b)/n and w2 of (a+c)/n already computed.
func pairedDifference(a, b, c, d int, w1, w2 Interval) (diff float64, ci Interval) {
	return pairedDifferenceFloat(float64(a), float64(b), float64(c), float64(d), w1, w2)
}

// pairedDifferenceFloat is pairedDifference on a table of possibly
// fractional counts: one scaled to an effective sample size (design.go).
func pairedDifferenceFloat(a, b, c, d float64, w1, w2 Interval) (diff float64, ci Interval) {
	fn := a + b + c + d
	p1, p2 := (a+b)/fn, (a+c)/fn
	phi := newcombePhi(a, b, c, d)
	diff = (b - c) / fn
	dl1, du1 := p1-w1.Low, w1.High-p1
	dl2, du2 := p2-w2.Low, w2.High-p2
	// |phi| <= 1 keeps both radicands >= 0 and the limits within
	// [l1−u2, u1−l2] ⊂ [-1,1]; max and clamp only absorb rounding.
	lo := diff - math.Sqrt(max(0, dl1*dl1-2*phi*dl1*du2+du2*du2))
	hi := diff + math.Sqrt(max(0, du1*du1-2*phi*du1*dl2+dl2*dl2))
	return diff, Interval{clamp(lo, -1, diff), clamp(hi, diff, 1)}
}

// newcombePhi is the correlation estimate of Newcombe's method 10: phi is 0 if
// any marginal total is 0; otherwise, with A = ad − bc, A is replaced by
// max(A − n/2, 0) when A > 0 and kept as is when A <= 0, then divided by
// sqrt((a+b)(c+d)(a+c)(b+d)). Newcombe 1998 (paired), method 10; the same
// rule in Fagerland, Lydersen & Laake (2014, 2017) and R package ratesci.
func newcombePhi(a, b, c, d float64) float64 {
	e, f, g, h := a+b, c+d, a+c, b+d
	if e == 0 || f == 0 || g == 0 || h == 0 {
		return 0
	}
	// Float arithmetic: the products overflow int64 from n ≈ 55 000 on.
	A := a*d - b*c
	if A > 0 {
		A = max(A-(a+b+c+d)/2, 0)
	}
	return A / math.Sqrt(e*f*g*h)
}

// IndependentDifference returns x1/n1 − x2/n2 and its 95 % interval for two
// independent samples, by method 10 of Newcombe RG (1998), "Interval
// estimation for the difference between independent proportions: comparison
// of eleven methods", Stat Med 17:873–890 (hybrid score: Wilson limits of
// each proportion combined). With an empty sample it returns 0 and [-1,1].
func IndependentDifference(x1, n1, x2, n2 int) (diff float64, ci Interval) {
	if n1 <= 0 || n2 <= 0 {
		return 0, Interval{-1, 1}
	}
	x1, x2 = min(max(x1, 0), n1), min(max(x2, 0), n2)
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	diff, ci = DifferenceOfEstimates(p1, Wilson(x1, n1), p2, Wilson(x2, n2))
	return diff, Interval{clamp(ci.Low, -1, diff), clamp(ci.High, diff, 1)}
}

// DifferenceOfEstimates returns e1 − e2 and its interval from two independent
// estimates that each carry their own interval (MOVER: Newcombe 1998; Zou &
// Donner 2008), used for the change of a Gap between two campaigns. The
// limits stay within [ci1.Low − ci2.High, ci1.High − ci2.Low], so no clamping
// is needed; a Gap change therefore lies in [-2,2].
func DifferenceOfEstimates(e1 float64, ci1 Interval, e2 float64, ci2 Interval) (float64, Interval) {
	d := e1 - e2
	lo := d - math.Hypot(e1-ci1.Low, ci2.High-e2)
	hi := d + math.Hypot(ci1.High-e1, e2-ci2.Low)
	return d, Interval{lo, hi}
}

// clamp bounds v to [lo, hi], so rounding never leaves an interval's range.
func clamp(v, lo, hi float64) float64 {
	return min(max(v, lo), hi)
}
