package analytics

import (
	"slices"
	"strings"
)

// served is a live snapshot decision already served: state n (answers of
// epoch 1..n) and what it showed.
type served struct {
	n int64
	d *decision
}

// decideAnswers takes the decision of disclose.go over answers placed on o
// for the filters names. The snapshots in snaps were served already: their
// figures enter as fixed figures over the answers each held.
func decideAnswers(o *org, answers []answer, k int64, names []string, snaps []served) *decision {
	base := names
	for _, sn := range snaps {
		for _, f := range base {
			if !strings.HasPrefix(f, "band:") {
				names = append(names, snapPrefix(sn.n)+f)
			}
		}
	}
	names = sortedFilters(names)
	idx := make(map[string]int, len(names))
	for i, f := range names {
		idx[f] = i
	}
	words := (len(names) + 63) / 64
	cells := map[string]*cell{}
	for _, a := range answers {
		sig := make([]uint64, words)
		set := func(f string) {
			if i, ok := idx[f]; ok {
				sig[i/64] |= 1 << (i % 64)
			}
		}
		for _, f := range a.filters {
			set(f)
			for _, sn := range snaps {
				if a.epoch > 0 && a.epoch <= sn.n {
					set(snapPrefix(sn.n) + f)
				}
			}
		}
		key := cellKey(a.node, sig)
		if c, ok := cells[key]; ok {
			c.count++
		} else {
			cells[key] = &cell{node: a.node, sig: sig, count: 1}
		}
	}
	p := &problem{o: o, nf: len(names), k: k, cells: sortedCells(cells), size: subtreeSizes(o)}
	if len(snaps) > 0 {
		p.fixed = make([]bool, o.len()*p.nf)
		for _, sn := range snaps {
			for f, name := range names {
				if rest, ok := strings.CutPrefix(name, snapPrefix(sn.n)); ok {
					for i, s := range sn.d.shown(rest) {
						p.fixed[i*p.nf+f] = s
					}
				}
			}
		}
	}
	shown := p.decide()
	d := &decision{n: o.len(), byKey: map[string][]bool{}}
	for f, name := range names {
		s := make([]bool, o.len())
		for i := range s {
			s[i] = shown[i*p.nf+f]
		}
		d.byKey[name] = s
	}
	for _, name := range names { // sorted: "all" and "band:x" come before what depends on them
		if dep := dependsOn(name); dep != "" && !strings.HasPrefix(name, "snap") {
			need := d.shown(dep)
			for i, s := range d.byKey[name] {
				d.byKey[name][i] = s && need[i]
			}
		}
	}
	d.byKey[filterComments] = decideComments(o, answers, k, p.size, d.shown(filterAll))
	return d
}

// decideComments is the same construction for free text on its own: the
// sets G ∩ commented, threshold max(MinCommentGroup, k), and only inside a
// shown group.
func decideComments(o *org, answers []answer, k int64, size []int, groups []bool) []bool {
	counts := map[int]int64{}
	for _, a := range answers {
		if a.commented {
			counts[a.node]++
		}
	}
	var cells []cell
	for node, n := range counts {
		cells = append(cells, cell{node: node, sig: []uint64{1}, count: n})
	}
	slices.SortFunc(cells, func(a, b cell) int { return a.node - b.node })
	p := &problem{o: o, nf: 1, k: max(k, MinCommentGroup), cells: cells, size: size}
	shown := p.decide()
	for i := range shown {
		shown[i] = shown[i] && groups[i]
	}
	return shown
}

func cellKey(node int, sig []uint64) string {
	var b strings.Builder
	b.Grow(8 + 8*len(sig))
	for _, w := range append([]uint64{uint64(node)}, sig...) {
		for s := 0; s < 64; s += 8 {
			b.WriteByte(byte(w >> s))
		}
	}
	return b.String()
}

// sortedCells orders cells by node, then signature, so that a decision is
// the same wherever and whenever it is computed.
func sortedCells(m map[string]*cell) []cell {
	out := make([]cell, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b cell) int {
		if a.node != b.node {
			return a.node - b.node
		}
		return slices.Compare(a.sig, b.sig)
	})
	return out
}
