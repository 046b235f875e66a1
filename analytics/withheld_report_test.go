package analytics_test

import (
	"context"
	"os"
	"testing"

	"digigap/analytics"
	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// TestWithheldReport measures, on the demo data, the share of cells each
// page withholds with the one-system decision and with the rule per
// measure of the previous release (all protections off). It runs only
// with DIGIGAP_WITHHELD_REPORT=1: it is a measure, not a check.
func TestWithheldReport(t *testing.T) {
	if os.Getenv("DIGIGAP_WITHHELD_REPORT") == "" {
		t.Skip("set DIGIGAP_WITHHELD_REPORT=1 to measure")
	}
	ctx := context.Background()
	st := surveytest.MustOpen(t, survey.SQLite)
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name string
		p    analytics.Protections
	}{{"before (rule per measure)", analytics.Protections{}}, {"after (one system)", analytics.AllProtections()}} {
		restore := analytics.SetProtections(p.p)
		eng := analytics.New(st)
		pages := map[string][2]int{} // withheld, cells
		add := func(page string, shown bool) {
			c := pages[page]
			c[1]++
			if !shown {
				c[0]++
			}
			pages[page] = c
		}
		cs, _ := st.Campaigns(ctx)
		for _, c := range cs {
			if c.Phase(st.Today()) != survey.PhaseClosed {
				continue
			}
			table, err := eng.GapTable(ctx, survey.FullScope(), analytics.GapQuery{CampaignID: c.ID, Depth: -1})
			if err != nil {
				t.Fatal(err)
			}
			def, _ := st.Definition(ctx, c.QuestionnaireID)
			for _, r := range table.Rows {
				add("heatmap groups", r.Shown)
				for _, cell := range r.Cells {
					add("heatmap cells", cell.Shown)
				}
				s, _ := eng.Summary(ctx, survey.FullScope(), c.ID, r.Team.ID)
				add("group page (all-channel users)", s.AllChannels.Shown)
				cu, _ := eng.Culture(ctx, survey.FullScope(), c.ID, r.Team.ID)
				for _, it := range cu.Items {
					add("group page (culture)", it.Shown)
				}
				b, _ := eng.Barriers(ctx, survey.FullScope(), c.ID, r.Team.ID)
				add("barriers (all)", b.Shown)
				add("barriers (with a Gap)", b.GapShown)
				for _, item := range survey.LayoutOf(def).Profiles {
					bt, err := eng.Bands(ctx, survey.FullScope(), c.ID, r.Team.ID, item.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, br := range bt.Rows {
						add("bands (groups)", br.Shown)
						for _, cell := range br.Cells {
							add("bands (cells)", cell.Shown)
						}
					}
				}
			}
		}
		restore()
		for page, c := range pages {
			t.Logf("%s: %-32s withheld %5d of %5d (%.1f %%)", p.name, page, c[0], c[1], 100*float64(c[0])/float64(c[1]))
		}
	}
}
