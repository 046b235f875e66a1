package analytics

import "slices"

// One system of released figures (DESIGN.md, "Anonymity")
//
// suppress.go's residual rule is sound inside ONE partition system: the
// groups of one measure on one tree. A reader gets many systems at once —
// responses and each channel's respondents, all respondents and those with
// a Gap, bands of a profile item and the overall groups, a live snapshot
// and the closed figures — and their differences do not nest: a band of a
// sector minus the same band of a branch minus … can leave one person.
//
// So the decision is taken on sets of respondents. Every figure a reader
// can get is a sum over a set G ∩ F: G a group (a node of the campaign's
// frozen tree and its descendants), F a filter — all respondents, those
// who answered channel c, culture item i, those with a Gap, all-channel
// answerers, band b of a profile item (alone and crossed with each
// channel, as the band pages show), and, for a wave with live results,
// the same filters restricted to the answers each served snapshot held
// (snapshot state n holds the answers of epoch 1..n, responses.snapshot_epoch).
// Respondents collapse into cells (team, the filters they satisfy). An
// ATOM is a set of cells touched by exactly the same shown figures. A
// figure may be shown only if every atom it touches holds 0 or at least k
// respondents. Then every shown figure is a sum of whole atoms of ≥ k, so
// any integer or rational combination of shown figures takes one value on
// each atom: its support is a union of atoms, and no combination isolates
// fewer than k people (nor names what one of them answered).
//
// decide starts from the figures over at least k respondents and, while
// some atom holds 1 to k−1, merges it with a neighbouring atom: it
// withholds the shown figures that tell the two apart, choosing the
// nearby atom (same team, else its siblings) that costs the fewest
// figures, ties to the largest atom then the smallest figures; or every
// figure touching it when that is cheaper. Withholding only merges atoms, so a
// fixpoint is reached and atoms already safe stay safe; this is also why
// rules applied afterwards (a channel is shown only in a shown group)
// never break it. Figures already released (every live snapshot served
// before, decision_read.go) are fixed: they are never withheld, and the
// snapshot's own decision, taken with the earlier ones fixed, made their
// atoms safe. Free text is the same construction on its own: the sets
// G ∩ commented, threshold max(10, k).
//
// Atoms are tracked by a Zobrist key per cell (the XOR of a random word per
// shown figure touching it), so withholding a figure updates only the
// cells it touches (a 64-bit collision would merge two atoms by mistake:
// about 2^-40 for a large campaign). attack_test.go checks the claim by
// exact rank arithmetic on random orgs, api/anonymity_test.go on issue
// 12's cases; decision_read.go stores one decision per campaign state.

// cell is the respondents of one team who satisfy exactly the filters of
// sig (a bit set over filter ids).
type cell struct {
	node  int
	sig   []uint64
	count int64
	key   uint64
}

func (c *cell) has(f int) bool { return c.sig[f/64]&(1<<(f%64)) != 0 }

// problem is one decision: cells over the nodes of an org and nf filters.
// Figure x = node*nf + f.
type problem struct {
	o     *org
	nf    int
	k     int64
	cells []cell // sorted by node (preorder), so a subtree is a range
	size  []int  // per node: nodes in its subtree (preorder ranges)
	fixed []bool // per figure: released already, never withheld (nil: none)
}

// decide returns, per figure, whether it may be shown.
func (p *problem) decide() []bool {
	nfig := p.o.len() * p.nf
	count := make([]int64, nfig)
	for i := range p.cells {
		c := &p.cells[i]
		for a := c.node; a >= 0; a = p.o.parent[a] {
			for f := 0; f < p.nf; f++ {
				if c.has(f) {
					count[a*p.nf+f] += c.count
				}
			}
		}
	}
	shown := make([]bool, nfig)
	for x := range shown {
		shown[x] = count[x] >= p.k || (p.fixed != nil && p.fixed[x])
	}
	atoms := map[uint64]int64{}
	var work []uint64
	for i := range p.cells {
		c := &p.cells[i]
		c.key = 0
		for a := c.node; a >= 0; a = p.o.parent[a] {
			for f := 0; f < p.nf; f++ {
				if c.has(f) && shown[a*p.nf+f] {
					c.key ^= zobrist(a*p.nf + f)
				}
			}
		}
		atoms[c.key] += c.count
		work = append(work, c.key)
	}
	reps := map[uint64]int{} // a cell of each atom, checked on use
	for i := range p.cells {
		reps[p.cells[i].key] = i
	}
	rep := func(key uint64) *cell {
		if i, ok := reps[key]; ok && p.cells[i].key == key {
			return &p.cells[i]
		}
		for i := range p.cells {
			if p.cells[i].key == key {
				reps[key] = i
				return &p.cells[i]
			}
		}
		return nil
	}
	for len(work) > 0 {
		key := work[0]
		work = work[1:]
		if n := atoms[key]; key == 0 || n == 0 || n >= p.k {
			continue
		}
		for _, x := range p.merge(rep(key), shown, count, atoms) {
			shown[x] = false
			p.withhold(x, atoms, reps, &work)
		}
	}
	return shown
}

// withhold updates the atoms of the cells figure x touches.
func (p *problem) withhold(x int, atoms map[uint64]int64, reps map[uint64]int, work *[]uint64) {
	a, f := x/p.nf, x%p.nf
	lo, hi := p.cellRange(a)
	for i := lo; i < hi; i++ {
		c := &p.cells[i]
		if !c.has(f) {
			continue
		}
		atoms[c.key] -= c.count // the atom left behind may now be too small
		if atoms[c.key] == 0 {
			delete(atoms, c.key)
		} else {
			*work = append(*work, c.key)
		}
		c.key ^= zobrist(x)
		atoms[c.key] += c.count
		reps[c.key] = i
		*work = append(*work, c.key)
	}
}

// touching lists the shown figures touching cell c, in increasing order.
func (p *problem) touching(c *cell, shown []bool) []int {
	var out []int
	for a := c.node; a >= 0; a = p.o.parent[a] {
		for f := 0; f < p.nf; f++ {
			if x := a*p.nf + f; c.has(f) && shown[x] {
				out = append(out, x)
			}
		}
	}
	slices.Sort(out)
	return out
}

// merge chooses the figures to withhold so that c's atom merges with a
// neighbouring one: the atom of a nearby cell (same team, else siblings)
// that differs by the fewest shown figures, ties to the largest atom then
// the smallest figures; or, when that is cheaper, no atom at all
// (withholding every figure touching c). Fixed figures never move.
func (p *problem) merge(c *cell, shown []bool, count []int64, atoms map[uint64]int64) []int {
	mine := p.touching(c, shown)
	best := p.movable(mine)
	if len(best) < len(mine) {
		best = nil // fixed figures touch it: only a neighbour can absorb it
	}
	bestN, bestSum := int64(0), p.sum(best, count)
	lo, hi := p.cellRange(c.node)
	if par := p.o.parent[c.node]; par >= 0 {
		if plo, phi := p.cellRange(par); phi-plo <= 4096 {
			lo, hi = plo, phi
		}
	}
	seen := map[uint64]bool{c.key: true}
	scan := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := &p.cells[i]
			if seen[d.key] {
				continue
			}
			seen[d.key] = true
			diff := symmetricDifference(mine, p.touching(d, shown))
			if len(p.movable(diff)) != len(diff) || best != nil && len(diff) > len(best) {
				continue
			}
			n, sum := atoms[d.key], p.sum(diff, count)
			if best == nil || len(diff) < len(best) || n > bestN || n == bestN && sum < bestSum {
				best, bestN, bestSum = diff, n, sum
			}
		}
	}
	scan(lo, hi)
	if best == nil { // no neighbour nearby: look everywhere
		scan(0, len(p.cells))
	}
	return best
}

func (p *problem) movable(xs []int) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		if p.fixed == nil || !p.fixed[x] {
			out = append(out, x)
		}
	}
	return out
}

func (p *problem) sum(xs []int, count []int64) int64 {
	s := int64(0)
	for _, x := range xs {
		s += count[x]
	}
	return s
}

func symmetricDifference(a, b []int) []int {
	var out []int
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out, i = append(out, a[i]), i+1
		case i == len(a) || b[j] < a[i]:
			out, j = append(out, b[j]), j+1
		default:
			i, j = i+1, j+1
		}
	}
	return out
}

// cellRange is the range of cells in the subtree of node a.
func (p *problem) cellRange(a int) (int, int) {
	lo := lowerBound(p.cells, a)
	return lo, lowerBound(p.cells, a+p.size[a])
}

func lowerBound(cells []cell, node int) int {
	lo, hi := 0, len(cells)
	for lo < hi {
		m := (lo + hi) / 2
		if cells[m].node < node {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// zobrist is a fixed pseudo-random word per figure (splitmix64), so that
// a decision is the same wherever it is computed.
func zobrist(x int) uint64 {
	z := uint64(x+1) * 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// subtreeSizes returns, per node of o, the size of its subtree; nodes are
// numbered in preorder, so the subtree of i is [i, i+size[i]).
func subtreeSizes(o *org) []int {
	size := make([]int, o.len())
	for i := o.len() - 1; i >= 0; i-- {
		size[i]++
		if p := o.parent[i]; p >= 0 {
			size[p] += size[i]
		}
	}
	return size
}
