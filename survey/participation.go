package survey

import (
	"context"
	"strconv"
)

// TeamParticipation is how many responses one team of a campaign gave,
// against its headcount, as HR follows a wave while it runs.
type TeamParticipation struct {
	TeamID    int64
	Code      string
	Name      string
	Depth     int
	Headcount int
	Responses int
}

// Shown is the response count as it may be displayed: a count below the
// campaign's threshold k is a figure like any other (DESIGN.md), so it
// reads "< k" rather than the number.
func (p TeamParticipation) Shown(k int) string {
	if p.Responses < k {
		return "< " + strconv.Itoa(k)
	}
	return strconv.Itoa(p.Responses)
}

// Participation counts the responses of each team of a campaign, in tree
// order, with the campaign's total. It is a plain count for the console
// while the analytics engine's participation figures are not there.
func (s *Store) Participation(ctx context.Context, campaignID int64) ([]TeamParticipation, int, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return nil, 0, err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, 0, err
	}
	var rows []struct {
		TeamID int64
		N      int
	}
	err = s.read.WithContext(ctx).Model(&Response{}).Select("team_id, COUNT(*) AS n").
		Where("campaign_id = ?", campaignID).Group("team_id").Scan(&rows).Error
	if err != nil {
		return nil, 0, storeError(err, "participation")
	}
	// Answers count at once, while they wait in the mixing stage too.
	counts, err := s.PendingByTeam(ctx, campaignID)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	for _, r := range rows {
		counts[r.TeamID] += r.N
		total += r.N
	}
	var out []TeamParticipation
	for _, id := range TreeOrder(tree, c.TeamIDs) {
		t := tree.Team(id)
		out = append(out, TeamParticipation{TeamID: id, Code: t.Code, Name: t.Name, Depth: tree.Depth(id),
			Headcount: t.Headcount, Responses: counts[id]})
	}
	return out, total, nil
}

// IssuedInvitations counts the invitations of each team of a campaign that
// are still valid or were used (not revoked), so HR sees which teams have
// had theirs and that generating again replaces them.
func (s *Store) IssuedInvitations(ctx context.Context, campaignID int64) (map[int64]int, error) {
	var rows []struct {
		TeamID int64
		N      int
	}
	err := s.read.WithContext(ctx).Model(&Invitation{}).Select("team_id, COUNT(*) AS n").
		Where("campaign_id = ? AND NOT revoked", campaignID).Group("team_id").Scan(&rows).Error
	out := map[int64]int{}
	for _, r := range rows {
		out[r.TeamID] = r.N
	}
	return out, storeError(err, "invitations")
}

// TreeOrder returns ids in the order of the tree (depth first, children by
// name), keeping only those in ids whose team still exists.
func TreeOrder(tree *Tree, ids []int64) []int64 {
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []int64
	var walk func(id int64)
	walk = func(id int64) {
		if want[id] {
			out = append(out, id)
		}
		for _, ch := range tree.Children(id) {
			walk(ch)
		}
	}
	for _, r := range tree.Roots() {
		walk(r)
	}
	return out
}

// StoredAnswers counts every answer stored, mixed into responses or still
// waiting in the mixing stage: what "was my answer kept" checks need.
func (s *Store) StoredAnswers(ctx context.Context) (int64, error) {
	var n struct{ Responses, Pending int64 }
	err := s.read.WithContext(ctx).Raw("SELECT (SELECT COUNT(*) FROM responses) AS responses, (SELECT COUNT(*) FROM pending_responses) AS pending").Scan(&n).Error
	return n.Responses + n.Pending, storeError(err, "responses")
}

// PendingByTeam counts the answers of campaign still in the mixing stage,
// per team: participation counts an answer at once, figures once it left.
func (s *Store) PendingByTeam(ctx context.Context, campaignID int64) (map[int64]int, error) {
	waiting, err := s.readPending(s.read.WithContext(ctx), campaignID)
	if err != nil {
		return nil, storeError(err, "mixing stage")
	}
	out := map[int64]int{}
	for _, a := range waiting {
		out[a.Response.TeamID]++
	}
	return out, nil
}
