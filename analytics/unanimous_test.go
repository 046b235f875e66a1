package analytics_test

import (
	"context"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

// Under 'threshold', A3's six who all use SMS weekly privately are
// withheld as unanimous (6 < 2k = 10), at S2 and B too (the same six);
// B's email (A1's six and A3's six) may not be shown next to A1's or
// S1's: the difference would give A3's unanimous six.
// Under the fixture's own 'disclose' campaign, A3's SMS shows 100 %.
func TestUnanimous_ThresholdWithholdsSmallUnanimousCellsAndTheirResidual(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	if err := f.st.DB().Exec("UPDATE campaigns SET unanimous = ? WHERE id = ?", survey.UnanimousThreshold, f.camp.ID).Error; err != nil {
		t.Fatal(err)
	}
	table, err := f.eng.GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	sms := 1
	if table.Channels[sms] != "sms" {
		t.Fatalf("channel 1 is %s", table.Channels[sms])
	}
	for _, code := range []string{"A3", "S2", "B"} {
		if c := rowOf(t, table, f.team[code]).Cells[sms]; c.Shown || !c.Unanimous {
			t.Errorf("%s sms shown %v unanimous %v, want withheld as unanimous", code, c.Shown, c.Unanimous)
		}
	}
	// Email: A3's six all answered 4/4; B's twelve are not unanimous but
	// B minus a shown S1 or A1 would leave A3's six, so either B or both
	// of them are withheld.
	if rowOf(t, table, f.team["B"]).Cells[0].Shown {
		for _, code := range []string{"S1", "A1"} {
			if c := rowOf(t, table, f.team[code]).Cells[0]; c.Shown {
				t.Errorf("%s and B email shown: B minus it gives A3's unanimous six", code)
			}
		}
	}
	if c := rowOf(t, table, f.team["A3"]).Cells[0]; c.Shown || !c.Unanimous {
		t.Errorf("A3 email shown %v unanimous %v, want withheld as unanimous", c.Shown, c.Unanimous)
	}
	if err := f.st.DB().Exec("UPDATE campaigns SET unanimous = ? WHERE id = ?", survey.UnanimousDisclose, f.camp.ID).Error; err != nil {
		t.Fatal(err)
	}
	table, _ = f.eng.GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: f.camp.ID, Depth: -1})
	if c := rowOf(t, table, f.team["A3"]).Cells[sms]; !c.Shown || c.P != 1 {
		t.Errorf("under disclose A3 sms = %+v, want 100 %% shown", c)
	}
}
