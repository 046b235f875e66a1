package analytics

import (
	"context"

	"digigap/survey"
)

// org is the org tree indexed densely (node i, parent[i], children[i]),
// so that rollups and suppression over a few thousand teams are a few
// array walks rather than map lookups.
type org struct {
	tree     *survey.Tree
	ids      []int64
	pos      map[int64]int
	parent   []int // -1 for a root
	children [][]int
	pre      []int // parents before children, siblings by name
}

func newOrg(tree *survey.Tree) *org {
	o := &org{tree: tree, pos: make(map[int64]int, tree.Len())}
	var walk func(id int64, parent int)
	walk = func(id int64, parent int) {
		i := len(o.ids)
		o.ids = append(o.ids, id)
		o.pos[id] = i
		o.parent = append(o.parent, parent)
		o.children = append(o.children, nil)
		o.pre = append(o.pre, i)
		if parent >= 0 {
			o.children[parent] = append(o.children[parent], i)
		}
		for _, c := range tree.Children(id) {
			walk(c, i)
		}
	}
	for _, r := range tree.Roots() {
		walk(r, -1)
	}
	return o
}

// len is the number of teams.
func (o *org) len() int { return len(o.ids) }

// rollUp sums each team's own counters over its subtree. Teams of rows
// that left the tree are ignored.
func (o *org) rollUp(rows *survey.CounterRows, width int) [][]int64 {
	slab := make([]int64, o.len()*width)
	total := make([][]int64, o.len())
	for i := range total {
		total[i] = slab[i*width : (i+1)*width : (i+1)*width]
	}
	for j, id := range rows.Teams {
		if i, ok := o.pos[id]; ok {
			survey.AddCounts(total[i], rows.Counts[j])
		}
	}
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		if p := o.parent[i]; p >= 0 {
			survey.AddCounts(total[p], total[i])
		}
	}
	return total
}

// loadTree reads the teams with one plain query: the GORM model path is
// ten times slower on the thousands of teams of a large group.
func loadTree(ctx context.Context, st *survey.Store) (*survey.Tree, error) {
	rows, err := st.ReadDB().WithContext(ctx).Raw(`SELECT id, code, parent_id, name, headcount FROM teams`).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var teams []survey.Team
	for rows.Next() {
		var t survey.Team
		if err := rows.Scan(&t.ID, &t.Code, &t.ParentID, &t.Name, &t.Headcount); err != nil {
			return nil, err
		}
		teams = append(teams, t)
	}
	return survey.NewTree(teams), rows.Err()
}

// headcounts sums headcounts over each subtree.
func (o *org) headcounts() []int {
	hc := make([]int, o.len())
	for k := len(o.pre) - 1; k >= 0; k-- {
		i := o.pre[k]
		hc[i] += o.tree.Team(o.ids[i]).Headcount
		if p := o.parent[i]; p >= 0 {
			hc[p] += hc[i]
		}
	}
	return hc
}
