package survey

import (
	"sort"
	"time"
)

// Team is a node of the org tree (bank → sector → branch → team). Its Code
// comes from the HR system and is how history stays attached across imports.
type Team struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	Code      string    `json:"code"`
	ParentID  *int64    `json:"parent_id"`
	Name      string    `json:"name"`
	Headcount int       `json:"headcount"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	// ArchivedAt is set once HR archived the team (team_archive.go).
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

// Tree is the org tree loaded in memory: cheap for the few thousand teams
// of a large group, and what rollups and scopes are computed from.
type Tree struct {
	teams    map[int64]*Team
	byCode   map[string]*Team
	children map[int64][]int64
	roots    []int64
}

// NewTree indexes teams; children are ordered by name for stable display.
func NewTree(teams []Team) *Tree {
	t := &Tree{teams: map[int64]*Team{}, byCode: map[string]*Team{}, children: map[int64][]int64{}}
	for i := range teams {
		tm := &teams[i]
		t.teams[tm.ID] = tm
		t.byCode[tm.Code] = tm
	}
	for _, tm := range t.teams {
		if tm.ParentID == nil || t.teams[*tm.ParentID] == nil {
			t.roots = append(t.roots, tm.ID)
		} else {
			t.children[*tm.ParentID] = append(t.children[*tm.ParentID], tm.ID)
		}
	}
	byName := func(ids []int64) {
		sort.Slice(ids, func(i, j int) bool {
			a, b := t.teams[ids[i]], t.teams[ids[j]]
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.Code < b.Code
		})
	}
	byName(t.roots)
	for _, ids := range t.children {
		byName(ids)
	}
	return t
}

// Team returns the team with id, or nil.
func (t *Tree) Team(id int64) *Team { return t.teams[id] }

// ByCode returns the team with code, or nil.
func (t *Tree) ByCode(code string) *Team { return t.byCode[code] }

// Roots returns the teams without a parent.
func (t *Tree) Roots() []int64 { return t.roots }

// Children returns the direct children of id, ordered by name.
func (t *Tree) Children(id int64) []int64 { return t.children[id] }

// Len is the number of teams.
func (t *Tree) Len() int { return len(t.teams) }

// Subtree returns id and all its descendants, parents before children.
func (t *Tree) Subtree(id int64) []int64 {
	if t.teams[id] == nil {
		return nil
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// Path returns the ancestors of id from the root down to id itself, for breadcrumbs.
func (t *Tree) Path(id int64) []*Team {
	var path []*Team
	for tm := t.teams[id]; tm != nil; {
		path = append([]*Team{tm}, path...)
		if tm.ParentID == nil {
			break
		}
		tm = t.teams[*tm.ParentID]
	}
	return path
}

// IsWithin reports whether id is ancestor or id itself, walking up the tree.
func (t *Tree) IsWithin(id, ancestor int64) bool {
	for tm := t.teams[id]; tm != nil; {
		if tm.ID == ancestor {
			return true
		}
		if tm.ParentID == nil {
			return false
		}
		tm = t.teams[*tm.ParentID]
	}
	return false
}

// Depth is 0 for a root, 1 for its children, and so on.
func (t *Tree) Depth(id int64) int { return len(t.Path(id)) - 1 }

// Headcount sums the headcounts of id's subtree.
func (t *Tree) Headcount(id int64) int {
	total := 0
	for _, d := range t.Subtree(id) {
		total += t.teams[d].Headcount
	}
	return total
}
