package analytics

import (
	"math"
	"testing"
)

// tol4 accepts any value that rounds to a published 4-decimal figure.
const tol4 = 0.5e-4

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// checkInterval reports a mismatch against a published interval.
func checkInterval(t *testing.T, name string, got, want Interval, tol float64) {
	t.Helper()
	if !near(got.Low, want.Low, tol) || !near(got.High, want.High, tol) {
		t.Errorf("%s: got [%.6f, %.6f], want [%.4f, %.4f]", name, got.Low, got.High, want.Low, want.High)
	}
}

// checkSane reports NaN, out-of-range limits or an interval missing its estimate.
func checkSane(t *testing.T, name string, est float64, ci Interval, lo, hi float64) {
	t.Helper()
	for _, v := range []float64{est, ci.Low, ci.High} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%s: non-finite value in est %v ci %+v", name, est, ci)
		}
	}
	if ci.Low < lo || ci.High > hi || ci.Low > est || est > ci.High {
		t.Errorf("%s: est %v ci %+v not ordered within [%v, %v]", name, est, ci, lo, hi)
	}
}

// Newcombe RG (1998) "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Stat Med 17:857–872, score method
// (method 3). The last three rows are also asserted by the R package ratesci
// (tests/testthat/test3.R, "Single proportion, Newcombe examples"); the
// 81/263 row has no second source.
func TestWilsonMatchesNewcombeSingleProportionExamples(t *testing.T) {
	tests := []struct {
		x, n int
		want Interval
	}{
		{81, 263, Interval{0.2553, 0.3662}},
		{15, 148, Interval{0.0624, 0.1605}},
		{0, 20, Interval{0, 0.1611}},
		{1, 29, Interval{0.0061, 0.1718}},
	}
	for _, tt := range tests {
		checkInterval(t, "Wilson", Wilson(tt.x, tt.n), tt.want, tol4)
	}
}

func TestWilsonIsExactAtTheEdgesAndUninformativeWithoutData(t *testing.T) {
	if got, want := Wilson(0, 7).Low, 0.0; got != want {
		t.Errorf("Wilson(0,7).Low = %v, want %v", got, want)
	}
	if got, want := Wilson(7, 7).High, 1.0; got != want {
		t.Errorf("Wilson(7,7).High = %v, want %v", got, want)
	}
	if got, want := Wilson(0, 0), (Interval{0, 1}); got != want {
		t.Errorf("Wilson(0,0) = %+v, want %+v", got, want)
	}
	if got, want := Wilson(9, 5), Wilson(5, 5); got != want {
		t.Errorf("Wilson(9,5) = %+v, want clamped %+v", got, want)
	}
	for n := 1; n <= 60; n++ {
		for x := 0; x <= n; x++ {
			checkSane(t, "Wilson", Mean(x, n), Wilson(x, n), 0, 1)
		}
	}
}

// Published method-10 limits for paired tables (a, b, c, d).
func TestPairedDifferenceMatchesPublishedMethod10Examples(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int
		want       Interval
	}{
		// Newcombe 1998 (paired) examples, as asserted by the R package propint
		// (tests: "ci.two.dep.props produces the results reported in Newcombe1998").
		{"Newcombe 36/12/2/0", 36, 12, 2, 0, Interval{0.0569, 0.3404}},
		{"Newcombe 18/12/2/18", 18, 12, 2, 18, Interval{0.0562, 0.3290}},
		{"Newcombe 53/0/0/1", 53, 0, 0, 1, Interval{-0.0729, 0.0729}},
		{"Newcombe 0/30/0/0", 0, 30, 0, 0, Interval{0.8395, 1}},
		// Newcombe 1998 method 10 as asserted by ratesci (tests/testthat/test3.R),
		// which gives the second example as 20/12/2/16 rather than 18/12/2/18.
		{"Newcombe 20/12/2/16", 20, 12, 2, 16, Interval{0.0562, 0.3292}},
		// Fagerland, Lydersen & Laake (2017) ch. 8, Cavo et al. 2012 data, as
		// asserted by the R package contingencytables (test-ch8.R).
		{"Cavo", 59, 6, 16, 80, Interval{-0.1186, -0.0046}},
		// Tang, Li & Tang (2010) example, as asserted by ratesci.
		{"Tang", 8, 3, 1, 2, Interval{-0.1574, 0.4136}},
	}
	for _, tt := range tests {
		diff, ci := PairedDifference(tt.a, tt.b, tt.c, tt.d)
		if got, want := diff, float64(tt.b-tt.c)/float64(tt.a+tt.b+tt.c+tt.d); got != want {
			t.Errorf("%s: diff = %v, want %v", tt.name, got, want)
		}
		checkInterval(t, tt.name, ci, tt.want, tol4)
	}
}

// Examples published to 3 decimals only, as asserted by ratesci (test3.R).
func TestPairedDifferenceMatchesPublished3DecimalExamples(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int
		want       Interval
	}{
		{"Bentur (Fagerland et al. 2014)", 1, 1, 7, 12, Interval{-0.507, -0.026}},
		{"Chang et al. 2024", 7, 25, 2, 68, Interval{0.133, 0.318}},
	}
	for _, tt := range tests {
		_, ci := PairedDifference(tt.a, tt.b, tt.c, tt.d)
		checkInterval(t, tt.name, ci, tt.want, 0.5e-3)
	}
}

// The corrected phi only shrinks positive correlations; 0 <= A <= n/2 gives 0.
func TestNewcombePhiAppliesTheHalfNCorrection(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int
		want       float64
	}{
		{"empty marginal", 0, 30, 0, 0, 0},
		{"A within n/2", 1, 1, 7, 12, 0},                                // A = 5, n/2 = 10.5
		{"A above n/2", 53, 0, 0, 1, 26.0 / 53},                         // A = 53, n/2 = 27
		{"negative A kept", 1, 7, 12, 1, -83 / math.Sqrt(8*13*13*8)},    // A = -83
		{"no discordance", 10, 0, 0, 10, 90 / math.Sqrt(10*10*10*10.0)}, // A = 100, n/2 = 10
	}
	for _, tt := range tests {
		if got := newcombePhi(float64(tt.a), float64(tt.b), float64(tt.c), float64(tt.d)); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: phi = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPairedDifferenceHasNoNaNAndContainsTheEstimateOnEveryTable(t *testing.T) {
	if diff, ci := PairedDifference(0, 0, 0, 0); diff != 0 || ci != (Interval{-1, 1}) {
		t.Errorf("empty table: got %v %+v, want 0 [-1,1]", diff, ci)
	}
	const n = 12
	for a := 0; a <= n; a++ {
		for b := 0; a+b <= n; b++ {
			for c := 0; a+b+c <= n; c++ {
				d := n - a - b - c
				diff, ci := PairedDifference(a, b, c, d)
				checkSane(t, "paired", diff, ci, -1, 1)
				// Swapping P and Q mirrors the interval.
				mdiff, mci := PairedDifference(a, c, b, d)
				if !near(mdiff, -diff, 1e-12) || !near(mci.Low, -ci.High, 1e-12) || !near(mci.High, -ci.Low, 1e-12) {
					t.Errorf("(%d,%d,%d,%d): %+v is not the mirror of %+v", a, b, c, d, ci, mci)
				}
			}
		}
	}
}

// Newcombe RG (1998) "Interval estimation for the difference between
// independent proportions", Stat Med 17:873–890, method 10.
func TestIndependentDifferenceMatchesPublishedMethod10Examples(t *testing.T) {
	tests := []struct {
		name           string
		x1, n1, x2, n2 int
		want           Interval
	}{
		// Newcombe examples (a), (b) as asserted by propint; (d) by ratesci.
		// 6/7 − 2/7 is left out: no published figure for it was found
		// (method 10 gives 0.0582 to 0.8062).
		{"Newcombe a", 56, 70, 48, 80, Interval{0.0524, 0.3339}},
		{"Newcombe b", 9, 10, 3, 10, Interval{0.1705, 0.8090}},
		{"Newcombe d", 5, 56, 0, 29, Interval{-0.0381, 0.1926}},
		// Fagerland, Lydersen & Laake (2017) ch. 4, Perondi et al. 2004 data,
		// as asserted by contingencytables (test-ch4.R).
		{"Perondi", 7, 34, 1, 34, Interval{0.0189, 0.3404}},
	}
	for _, tt := range tests {
		diff, ci := IndependentDifference(tt.x1, tt.n1, tt.x2, tt.n2)
		if got, want := diff, float64(tt.x1)/float64(tt.n1)-float64(tt.x2)/float64(tt.n2); got != want {
			t.Errorf("%s: diff = %v, want %v", tt.name, got, want)
		}
		checkInterval(t, tt.name, ci, tt.want, tol4)
	}
}

func TestIndependentDifferenceHasNoNaNAndHandlesEmptySamples(t *testing.T) {
	for _, n := range [][2]int{{0, 10}, {10, 0}, {0, 0}} {
		if diff, ci := IndependentDifference(0, n[0], 0, n[1]); diff != 0 || ci != (Interval{-1, 1}) {
			t.Errorf("n1=%d n2=%d: got %v %+v, want 0 [-1,1]", n[0], n[1], diff, ci)
		}
	}
	for n1 := 1; n1 <= 12; n1++ {
		for n2 := 1; n2 <= 12; n2++ {
			for x1 := 0; x1 <= n1; x1++ {
				for x2 := 0; x2 <= n2; x2++ {
					diff, ci := IndependentDifference(x1, n1, x2, n2)
					checkSane(t, "independent", diff, ci, -1, 1)
				}
			}
		}
	}
}

func TestDifferenceOfEstimatesAddsTheTwoMarginsInQuadrature(t *testing.T) {
	tests := []struct {
		name  string
		e1    float64
		ci1   Interval
		e2    float64
		ci2   Interval
		wantD float64
		want  Interval
	}{
		// Margins 0.03/0.04 and 0.04/0.03 give hypotenuses of exactly 0.05.
		{"3-4-5", 0.20, Interval{0.17, 0.24}, 0.10, Interval{0.07, 0.14}, 0.10, Interval{0.05, 0.15}},
		{"no uncertainty", 0.5, Interval{0.5, 0.5}, -0.25, Interval{-0.25, -0.25}, 0.75, Interval{0.75, 0.75}},
		{"extreme gaps", -1, Interval{-1, -0.9}, 1, Interval{0.9, 1}, -2, Interval{-2, -2 + math.Hypot(0.1, 0.1)}},
	}
	for _, tt := range tests {
		d, ci := DifferenceOfEstimates(tt.e1, tt.ci1, tt.e2, tt.ci2)
		if !near(d, tt.wantD, 1e-12) {
			t.Errorf("%s: d = %v, want %v", tt.name, d, tt.wantD)
		}
		checkInterval(t, tt.name, ci, tt.want, 1e-12)
		checkSane(t, tt.name, d, ci, -2, 2)
	}
}

// Reproduces Newcombe's independent method 10 from two Wilson intervals.
func TestDifferenceOfEstimatesOfWilsonIntervalsIsNewcombeMethod10(t *testing.T) {
	_, ci := DifferenceOfEstimates(56.0/70, Wilson(56, 70), 48.0/80, Wilson(48, 80))
	checkInterval(t, "MOVER", ci, Interval{0.0524, 0.3339}, tol4)
}

func TestMeanIsZeroForEmptyGroups(t *testing.T) {
	tests := []struct {
		sum, n int
		want   float64
	}{
		{0, 0, 0},
		{5, -1, 0},
		{7, 2, 3.5},
	}
	for _, tt := range tests {
		if got := Mean(tt.sum, tt.n); got != tt.want {
			t.Errorf("Mean(%d,%d) = %v, want %v", tt.sum, tt.n, got, tt.want)
		}
	}
}
