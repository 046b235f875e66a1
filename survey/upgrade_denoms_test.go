package survey_test

import (
	"context"
	"testing"

	"digigap/survey"
)

// Campaigns of the previous release keep showing what they showed: their
// unanimous-cell policy is 'disclose', and their participation is over
// the headcounts frozen in campaign_trees when the database was upgraded
// (the nearest record of their opening there is), so a later import does
// not move it.
func TestUpgrade_OldCampaignsDiscloseAndKeepTheirFrozenHeadcounts(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	cs, err := st.Campaigns(ctx)
	if err != nil || len(cs) != 3 {
		t.Fatalf("campaigns = %d, %v", len(cs), err)
	}
	for _, c := range cs {
		if c.Unanimous != survey.UnanimousDisclose {
			t.Errorf("campaign %q policy = %q, want %q", c.Name, c.Unanimous, survey.UnanimousDisclose)
		}
	}
	var frozen, today int64
	st.DB().Raw(`SELECT COALESCE(SUM(ct.headcount), 0) FROM campaign_trees ct JOIN campaigns c ON c.id = ct.campaign_id WHERE c.state <> 'draft'`).Scan(&frozen)
	st.DB().Raw(`SELECT COALESCE(SUM(t.headcount), 0) FROM teams t CROSS JOIN campaigns c WHERE c.state <> 'draft'`).Scan(&today)
	if frozen == 0 || frozen != today {
		t.Errorf("frozen headcounts = %d, want the upgrade day's %d", frozen, today)
	}
	if err := st.DB().Exec("UPDATE teams SET headcount = headcount + 100").Error; err != nil {
		t.Fatal(err)
	}
	var after int64
	st.DB().Raw(`SELECT COALESCE(SUM(ct.headcount), 0) FROM campaign_trees ct JOIN campaigns c ON c.id = ct.campaign_id WHERE c.state <> 'draft'`).Scan(&after)
	if after != frozen {
		t.Errorf("frozen headcounts moved with today's: %d, want %d", after, frozen)
	}
}
