package analytics

import (
	"context"
	"database/sql"
	"sync"

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
	subKeys  []uint64
	keysOnce sync.Once
	// frozenHC is, per node, the subtree's headcount frozen when the
	// campaign opened (nil for today's tree): the population of a group.
	frozenHC []int
	// frozenOwn is, per node, the team's own headcount frozen when the
	// campaign opened (nil for today's tree): population.go sums it over
	// the teams the campaign covered.
	frozenOwn []int
}

// subtreeKey identifies the set of teams in node i's subtree (a Zobrist
// hash of their ids), to tell whether two frozen trees agree on a group.
func (o *org) subtreeKey(i int) uint64 {
	o.keysOnce.Do(func() {
		o.subKeys = make([]uint64, o.len())
		for j := o.len() - 1; j >= 0; j-- {
			o.subKeys[j] ^= zobrist(int(o.ids[j]))
			if p := o.parent[j]; p >= 0 {
				o.subKeys[p] ^= o.subKeys[j]
			}
		}
	})
	return o.subKeys[i]
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

// rollUp reads each team's own counters and sums them over its subtree.
// Teams that left the tree are ignored.
func (o *org) rollUp(ctx context.Context, read countersFunc, campaignID int64, def *survey.Definition, band string, shown bool) ([][]int64, error) {
	width := survey.LayoutOf(def).Len
	slab := make([]int64, o.len()*width)
	total := make([][]int64, o.len())
	for i := range total {
		total[i] = slab[i*width : (i+1)*width : (i+1)*width]
	}
	err := read(ctx, campaignID, def, band, shown, func(team int64, v []int64) {
		if i, ok := o.pos[team]; ok {
			survey.AddCounts(total[i], v)
		}
	})
	if err != nil {
		return nil, err
	}
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		if p := o.parent[i]; p >= 0 {
			survey.AddCounts(total[p], total[i])
		}
	}
	return total, nil
}

// loadTree reads the teams with one plain query on the connection pool:
// the GORM model path costs several times more on the thousands of teams
// of a large group.
func loadTree(ctx context.Context, st *survey.Store) (*survey.Tree, error) {
	db, err := st.ReadDB().DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, code, parent_id, name, headcount FROM teams`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	teams := make([]survey.Team, 0, 1024)
	for rows.Next() {
		var t survey.Team
		var parent sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Code, &parent, &t.Name, &t.Headcount); err != nil {
			return nil, err
		}
		if parent.Valid {
			t.ParentID = &parent.Int64
		}
		teams = append(teams, t)
	}
	return survey.NewTree(teams), rows.Err()
}
