package survey

import "testing"

// A flush limited to a number of answers takes whole teams only, each with
// at least k answers, and says when teams were left for the next one.
func TestMixBatch_LimitTakesWholeTeamsOfAtLeastK(t *testing.T) {
	var waiting []*pendingAnswer
	for team, n := range []int{5, 7, 2, 6, 5} { // team 2 has fewer than k = 5
		for range n {
			waiting = append(waiting, &pendingAnswer{Response: Response{TeamID: int64(team)}})
		}
	}
	seen := map[int64]bool{}
	for round := 0; ; round++ {
		batch, more := mixBatch(waiting, 5, false, 10)
		perTeam := map[int64]int{}
		for _, a := range batch {
			perTeam[a.Response.TeamID]++
		}
		for team, n := range perTeam {
			if n < 5 || seen[team] {
				t.Fatalf("round %d moved %d answers of team %d (seen before: %v)", round, n, team, seen[team])
			}
			seen[team] = true
		}
		if len(batch) > 10+7 {
			t.Fatalf("round %d moved %d answers, beyond the limit plus one team", round, len(batch))
		}
		waiting = remove(waiting, batch)
		if !more {
			break
		}
	}
	if len(seen) != 4 || len(waiting) != 2 {
		t.Fatalf("moved teams %v, %d answers left; want 4 teams moved and team 2's 2 answers waiting", seen, len(waiting))
	}
}

func remove(from, batch []*pendingAnswer) []*pendingAnswer {
	gone := map[*pendingAnswer]bool{}
	for _, a := range batch {
		gone[a] = true
	}
	var out []*pendingAnswer
	for _, a := range from {
		if !gone[a] {
			out = append(out, a)
		}
	}
	return out
}
