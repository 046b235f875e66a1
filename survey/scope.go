package survey

// Scope is what a caller may read: everything (HR) or the subtrees of a few
// teams (a manager). Every read of figures takes one, so access is decided
// in one place rather than in each handler.
type Scope struct {
	All   bool    // HR: every team
	Teams []int64 // a manager: the roots of the subtrees they lead
}

// FullScope is HR's scope and the one command-line tools use.
func FullScope() Scope { return Scope{All: true} }

// TeamScope is a manager's scope over the subtrees of teams.
func TeamScope(teams ...int64) Scope { return Scope{Teams: teams} }

// Allows reports whether team id lies inside the scope.
func (s Scope) Allows(tree *Tree, id int64) bool {
	if s.All {
		return tree.Team(id) != nil
	}
	for _, root := range s.Teams {
		if tree.IsWithin(id, root) {
			return true
		}
	}
	return false
}

// Check returns ENOTFOUND for a team that does not exist and EFORBIDDEN
// for one outside the scope.
func (s Scope) Check(tree *Tree, id int64) error {
	if tree.Team(id) == nil {
		return Errorf(ENOTFOUND, "team %d not found", id)
	}
	if !s.Allows(tree, id) {
		return Errorf(EFORBIDDEN, "team %d is outside your part of the organisation", id)
	}
	return nil
}

// Roots returns the teams a caller starts browsing from.
func (s Scope) Roots(tree *Tree) []int64 {
	if s.All {
		return tree.Roots()
	}
	var out []int64
	for _, id := range s.Teams {
		if tree.Team(id) != nil {
			out = append(out, id)
		}
	}
	return out
}

// CheckCampaign returns EFORBIDDEN unless the campaign covers at least one
// team inside the scope: a manager reads only waves that asked their teams.
func (s Scope) CheckCampaign(tree *Tree, c *Campaign) error {
	if len(s.VisibleTeams(tree, c.TeamIDs)) == 0 {
		return Errorf(EFORBIDDEN, "campaign %d did not cover your part of the organisation", c.ID)
	}
	return nil
}

// VisibleTeams keeps the ids inside the scope, in their order, so that no
// answer lists a team the caller may not see.
func (s Scope) VisibleTeams(tree *Tree, ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if s.Allows(tree, id) {
			out = append(out, id)
		}
	}
	return out
}
