package analytics

import (
	"context"
	"math/rand/v2"
	"testing"

	"digigap/survey"
)

// The homogeneity attacker (issue 15, point 9): on random small orgs, for
// each channel, take every shown cell, alone and minus every set of
// disjoint shown cells inside it (an antichain of its shown sub-groups),
// and look for fewer than 2k people whose P or Q count is 0 or all of
// them: that would tell each one's answer. Under the 'threshold' policy
// there must be none; under 'disclose' the same orgs show some, so the
// attacker is not blind.
func TestUnanimousAttacker_FindsNoSmallUnanimousSet(t *testing.T) {
	leaks := map[string]int{}
	for _, policy := range []string{survey.UnanimousThreshold, survey.UnanimousDisclose} {
		for seed := range uint64(*attackOrgs / 4) {
			r := rand.New(rand.NewPCG(seed, 99))
			a := newAttackOrg(t, r, false)
			for _, code := range a.codes {
				for range r.IntN(13) {
					a.answer(t, r, code)
				}
			}
			ctx := context.Background()
			if _, err := a.st.CloseCampaign(ctx, a.camp.ID); err != nil {
				t.Fatal(err)
			}
			if err := a.st.DB().Exec("UPDATE campaigns SET unanimous = ? WHERE id = ?", policy, a.camp.ID).Error; err != nil {
				t.Fatal(err)
			}
			if found := homogeneityLeaks(t, a); found != "" {
				leaks[policy]++
				if policy == survey.UnanimousThreshold {
					t.Fatalf("seed %d: %s", seed, found)
				}
			}
		}
	}
	if leaks[survey.UnanimousDisclose] == 0 {
		t.Errorf("the attacker found no unanimous small set even under 'disclose': it would not see a leak")
	}
	t.Logf("unanimous small sets found: threshold %d, disclose %d orgs", leaks[survey.UnanimousThreshold], leaks[survey.UnanimousDisclose])
}

// homogeneityLeaks describes a unanimous set of fewer than 2k people the
// gap table's shown cells give away, or returns "".
func homogeneityLeaks(tb testing.TB, a *attackOrg) string {
	ctx := context.Background()
	table, err := a.eng.GapTable(ctx, survey.FullScope(), GapQuery{CampaignID: a.camp.ID, Depth: -1})
	if err != nil {
		tb.Fatal(err)
	}
	camp, _ := a.st.Campaign(ctx, a.camp.ID)
	o, err := a.eng.campaignOrg(ctx, camp)
	if err != nil {
		tb.Fatal(err)
	}
	min := int64(2 * camp.MinGroup)
	type fig struct{ n, p, q int64 }
	for c := range table.Channels {
		cells := make([]*fig, o.len())
		for _, row := range table.Rows {
			if cell := row.Cells[c]; cell.Shown {
				f := cell.ChannelFigures
				// P and Q are shares: counts are their numerators.
				cells[o.pos[row.Team.ID]] = &fig{int64(f.N), int64(f.P*float64(f.N) + 0.5), int64(f.Q*float64(f.N) + 0.5)}
			}
		}
		// antichains returns the sums of every set of disjoint shown
		// cells strictly inside node i.
		var antichains func(i int) []fig
		antichains = func(i int) []fig {
			out := []fig{{}}
			for _, ch := range o.children[i] {
				var opts []fig
				if cells[ch] != nil {
					opts = append(opts, *cells[ch])
				}
				opts = append(opts, antichains(ch)...)
				var next []fig
				for _, a := range out {
					for _, b := range opts {
						next = append(next, fig{a.n + b.n, a.p + b.p, a.q + b.q})
					}
					if len(next) > 20000 {
						break
					}
				}
				out = next
			}
			return out
		}
		for i, top := range cells {
			if top == nil {
				continue
			}
			for _, sub := range antichains(i) {
				r := fig{top.n - sub.n, top.p - sub.p, top.q - sub.q}
				if r.n > 0 && r.n < min && (r.p == 0 || r.p == r.n || r.q == 0 || r.q == r.n) {
					return table.Channels[c] + ": " + o.tree.Team(o.ids[i]).Code + " minus shown sub-groups leaves a unanimous residual"
				}
			}
		}
	}
	return ""
}
