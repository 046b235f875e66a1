package analytics

// Suppression (DESIGN.md, "Anonymity")
//
// A group is a team and its descendants. For one measure — responses, or
// the respondents of one channel, culture item or band — n[i] counts the
// group of node i. suppress returns which groups may be shown such that:
//
//  1. a shown group has n ≥ k (smaller groups, counts included, are withheld);
//  2. for every shown group G, its residual — n(G) minus the n of its
//     maximal shown proper descendants — is 0 or at least k.
//
// Rule 2 generalises next-smallest-sibling suppression to every level: a
// withheld child of 1 next to shown siblings leaves a residual of 1, so the
// smallest shown sibling is withheld too; a withheld child whose own
// children are shown does not help, since they are subtracted instead; and
// the team's own responses (a branch can answer besides its teams) count
// as one more withheld child.
//
// Why it suffices: the residual regions R(G) of the shown groups are
// disjoint, and every shown group is the disjoint union of the regions of
// the shown groups inside it, so any linear combination of shown figures is
// a combination of region figures, each over 0 or ≥ k respondents. No
// difference of shown groups, at any depth, isolates fewer than k people.
// suppress_test.go checks both rules, and that claim by exhaustive search,
// on random trees.

// suppress decides, for one measure, which groups may be shown. eligible
// (nil for all) marks groups that another rule has not withheld already.
func suppress(o *org, n []int64, k int64, eligible []bool) []bool {
	shown := make([]bool, o.len())
	for i := range shown {
		shown[i] = n[i] >= k && (eligible == nil || eligible[i])
	}
	var cover []int
	for j := len(o.pre) - 1; j >= 0; j-- { // children before parents
		i := o.pre[j]
		if !shown[i] {
			continue
		}
		for {
			cover = o.cover(i, shown, cover[:0])
			r := n[i]
			for _, d := range cover {
				r -= n[d]
			}
			if r == 0 || r >= k {
				break
			}
			shown[pickWithheld(o, n, shown, cover)] = false
		}
	}
	return shown
}

// cover lists the maximal shown proper descendants of i.
func (o *org) cover(i int, shown []bool, out []int) []int {
	for _, c := range o.children[i] {
		if shown[c] {
			out = append(out, c)
		} else {
			out = o.cover(c, shown, out)
		}
	}
	return out
}

// pickWithheld chooses the next group to withhold among cover: the
// smallest whose residual is not empty (withholding it grows the parent's
// residual by at least k), else the smallest.
func pickWithheld(o *org, n []int64, shown []bool, cover []int) int {
	best, bestAny := -1, cover[0]
	var sub []int
	for _, d := range cover {
		if n[d] < n[bestAny] {
			bestAny = d
		}
		if best >= 0 && n[d] >= n[best] {
			continue
		}
		sub = o.cover(d, shown, sub[:0])
		r := n[d]
		for _, x := range sub {
			r -= n[x]
		}
		if r > 0 {
			best = d
		}
	}
	if best >= 0 {
		return best
	}
	return bestAny
}
