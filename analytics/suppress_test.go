package analytics

import (
	"math/rand/v2"
	"testing"

	"digigap/survey"
)

// randomOrg builds a random tree of size teams with random own response
// counts (many small ones, some zero) and returns it with subtree totals.
func randomOrg(rng *rand.Rand, size int) (*org, []int64, []int64) {
	teams := make([]survey.Team, size)
	for i := range teams {
		teams[i] = survey.Team{ID: int64(i + 1), Code: string(rune('a'+i%26)) + string(rune('0'+i/26)), Name: "t"}
		if i > 0 {
			p := int64(rng.IntN(i) + 1)
			teams[i].ParentID = &p
		}
	}
	o := newOrg(survey.NewTree(teams))
	own := make([]int64, o.len())
	for i := range own {
		switch r := rng.IntN(10); {
		case r < 3:
			own[i] = 0
		case r < 8:
			own[i] = int64(1 + rng.IntN(4))
		default:
			own[i] = int64(rng.IntN(15))
		}
	}
	total := make([]int64, o.len())
	for j := len(o.pre) - 1; j >= 0; j-- {
		i := o.pre[j]
		total[i] += own[i]
		if p := o.parent[i]; p >= 0 {
			total[p] += total[i]
		}
	}
	return o, own, total
}

// TestSuppress_NoCombinationOfShownGroupsIsolatesFewerThanK is the
// anonymity property. For random org trees, response counts, thresholds
// and pre-withheld groups, it checks that:
//
//  1. every shown group has at least k respondents and was eligible;
//  2. every shown group's residual (its n minus that of its maximal shown
//     descendants) is 0 or at least k;
//  3. exhaustively, when at most 8 groups are shown: no combination
//     Σ c_G·G with c_G in {−1, 0, 1} of shown groups (parent minus
//     children, minus grandchildren, sums across branches…) is the set of
//     respondents of teams whose total is between 1 and k−1. Teams are the
//     finest unit the counters know; a combination that gives a team a
//     coefficient other than 0 or 1 is not a group.
//
// (2) implies (3) for any coefficients (see suppress.go); (3) checks it.
func TestSuppress_NoCombinationOfShownGroupsIsolatesFewerThanK(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	exhaustive, withShown := 0, 0
	for trial := range 3000 {
		o, own, n := randomOrg(rng, 1+rng.IntN(14))
		k := int64(3 + rng.IntN(3))
		var eligible []bool
		if trial%3 == 0 {
			eligible = make([]bool, o.len())
			for i := range eligible {
				eligible[i] = rng.IntN(5) > 0
			}
		}
		shown := suppress(o, n, k, eligible)
		var list []int
		for i, s := range shown {
			if !s {
				continue
			}
			list = append(list, i)
			if n[i] < k || eligible != nil && !eligible[i] {
				t.Fatalf("trial %d: group %d shown with n=%d (k=%d, eligible %v)", trial, i, n[i], k, eligible)
			}
			r := n[i]
			for _, d := range o.cover(i, shown, nil) {
				r -= n[d]
			}
			if r > 0 && r < k {
				t.Fatalf("trial %d: group %d (n=%d) has residual %d < k=%d", trial, i, n[i], r, k)
			}
		}
		if len(list) > 0 {
			withShown++
		}
		if len(list) <= 8 {
			exhaustive++
			checkCombinations(t, trial, o, own, list, k)
		}
	}
	if withShown < 1000 || exhaustive < 1000 {
		t.Errorf("only %d trials showed a group and %d were searched exhaustively: the property is tested on too little", withShown, exhaustive)
	}
}

// checkCombinations tries every {−1,0,1} combination of the shown groups.
func checkCombinations(t *testing.T, trial int, o *org, own []int64, shown []int, k int64) {
	t.Helper()
	members := make([][]int, len(shown)) // teams of each shown group
	for g, i := range shown {
		members[g] = o.subtree(i)
	}
	coef := make([]int, o.len())
	combo := make([]int, len(shown))
	total := 1
	for range shown {
		total *= 3
	}
	for c := 1; c < total; c++ {
		x := c
		for g := range combo {
			combo[g] = x%3 - 1
			x /= 3
		}
		clear(coef)
		for g, m := range members {
			for _, team := range m {
				coef[team] += combo[g]
			}
		}
		size, isSet := int64(0), true
		for team, cf := range coef {
			if own[team] == 0 {
				continue
			}
			switch cf {
			case 0:
			case 1:
				size += own[team]
			default:
				isSet = false
			}
		}
		if isSet && size > 0 && size < k {
			t.Fatalf("trial %d: combination %v of shown groups %v isolates %d respondents (k=%d)", trial, combo, shown, size, k)
		}
	}
}

// subtree lists node i and its descendants.
func (o *org) subtree(i int) []int {
	out := []int{i}
	for j := 0; j < len(out); j++ {
		out = append(out, o.children[out[j]]...)
	}
	return out
}

func TestSuppress_OneWithheldChildTakesTheSmallestShownSiblingAlong(t *testing.T) {
	// Root with children of 2, 6 and 9 respondents and none of its own (k = 5).
	teams := []survey.Team{{ID: 1, Code: "r", Name: "r"}, {ID: 2, Code: "a", Name: "a"}, {ID: 3, Code: "b", Name: "b"}, {ID: 4, Code: "c", Name: "c"}}
	for i := 1; i < 4; i++ {
		p := int64(1)
		teams[i].ParentID = &p
	}
	o := newOrg(survey.NewTree(teams))
	n := []int64{17, 2, 6, 9} // node order: r, a, b, c
	shown := suppress(o, n, 5, nil)
	if want := []bool{true, false, false, true}; !equalBools(shown, want) {
		t.Errorf("shown = %v, want %v", shown, want)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
