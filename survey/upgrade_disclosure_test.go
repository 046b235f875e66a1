package survey_test

import (
	"context"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

// The disclosure migration freezes every opened campaign on the tree of
// the upgrade, and the old campaigns serve figures: from a decision
// computed on first read while raw answers exist, from the counters with
// the rule per measure once they are purged.
func TestUpgrade_OldCampaignsAreFrozenAndServeFigures(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	cs, err := st.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng := analytics.New(st)
	closed := 0
	for _, c := range cs {
		var frozen int64
		st.DB().Raw("SELECT COUNT(*) FROM campaign_trees WHERE campaign_id = ?", c.ID).Scan(&frozen)
		if want := int64(78); c.State != survey.StateDraft && frozen != want {
			t.Errorf("campaign %q: %d frozen teams, want %d", c.Name, frozen, want)
		}
		if c.Phase(st.Today()) != survey.PhaseClosed {
			continue
		}
		closed++
		table, err := eng.GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: c.ID, Depth: -1})
		if err != nil {
			t.Fatal(err)
		}
		shown := 0
		for _, r := range table.Rows {
			if r.Shown {
				shown++
			}
		}
		var decisions int64
		st.DB().Raw("SELECT COUNT(*) FROM disclosure_decisions WHERE campaign_id = ?", c.ID).Scan(&decisions)
		if shown == 0 || decisions != 1 {
			t.Errorf("campaign %q: %d groups shown, %d decisions stored; want some and one", c.Name, shown, decisions)
		}
		// Purged raw answers: the counters still serve, with the older rule.
		st.DB().Exec("DELETE FROM responses WHERE campaign_id = ?", c.ID)
		st.DB().Exec("DELETE FROM disclosure_decisions WHERE campaign_id = ?", c.ID)
		fresh := analytics.New(st)
		if table, err = fresh.GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: c.ID, Depth: -1}); err != nil || !table.Rows[0].Shown {
			t.Errorf("campaign %q after the purge: %v, root shown %v", c.Name, err, err == nil && table.Rows[0].Shown)
		}
	}
	if closed == 0 {
		t.Fatal("the fixture has no closed campaign")
	}
}
