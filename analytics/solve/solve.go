// Package solve is the attacker of the anonymity tests: given released
// counts as 0/1 rows over respondents, it solves exactly (rank modulo a
// large prime) for a set of fewer than k respondents that some
// combination of the rows describes. Only tests use it.
package solve

import "slices"

// prime is the modulus of the exact rank arithmetic.
const prime = 2147483647

// Isolated returns a set S of fewer than k people such that some
// combination of the released rows is non-zero and supported inside S
// (rank(M) − rank(M without S's columns) > 0), or nil. People with equal
// columns move together in any combination, so S ranges over unions of
// such classes.
func Isolated(rows map[string]bool, n, k int) []int {
	var m [][]int64
	for r := range rows {
		row := make([]int64, n)
		for i := range n {
			row[i] = int64(r[i] - '0')
		}
		m = append(m, row)
	}
	classes := map[string][]int{}
	var keys []string
	for i := range n {
		col := make([]byte, len(m))
		for j, row := range m {
			col[j] = byte('0' + row[i])
		}
		if _, ok := classes[string(col)]; !ok {
			keys = append(keys, string(col))
		}
		classes[string(col)] = append(classes[string(col)], i)
	}
	slices.Sort(keys)
	full := rank(m, nil)
	var found []int
	var dfs func(from int, s []int)
	dfs = func(from int, s []int) {
		if found != nil {
			return
		}
		if len(s) > 0 && rank(m, s) < full {
			found = slices.Clone(s)
			return
		}
		for c := from; c < len(keys); c++ {
			if len(s)+len(classes[keys[c]]) < k && !allZero(keys[c]) {
				dfs(c+1, append(s, classes[keys[c]]...))
			}
		}
	}
	dfs(0, nil)
	return found
}

func allZero(col string) bool { return !slices.Contains([]byte(col), '1') }

// rank is the rank modulo prime of m without the columns in drop.
func rank(m [][]int64, drop []int) int {
	if len(m) == 0 {
		return 0
	}
	n := len(m[0])
	a := make([][]int64, len(m))
	for i, row := range m {
		a[i] = slices.Clone(row)
		for _, d := range drop {
			a[i][d] = 0
		}
	}
	r := 0
	for c := 0; c < n && r < len(a); c++ {
		p := -1
		for i := r; i < len(a); i++ {
			if a[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		a[r], a[p] = a[p], a[r]
		inv := pow(a[r][c], prime-2)
		for i := range a {
			if i == r || a[i][c] == 0 {
				continue
			}
			f := a[i][c] * inv % prime
			for j := c; j < n; j++ {
				a[i][j] = ((a[i][j]-f*a[r][j])%prime + prime) % prime
			}
		}
		r++
	}
	return r
}

func pow(b, e int64) int64 {
	out := int64(1)
	b %= prime
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			out = out * b % prime
		}
		b = b * b % prime
	}
	return out
}
