package demo_test

import (
	"context"
	"testing"

	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestGenerate_CountersMatchTheResponses(t *testing.T) {
	st := surveytest.MustOpen(t, survey.SQLite, survey.Options{SynchronousNormal: true})
	sum, err := demo.Generate(context.Background(), st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Responses < 500 {
		t.Fatalf("responses = %d, want the ~800 of two waves", sum.Responses)
	}
	diffs, err := st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("verify: %s", d)
	}
}

func TestGenerate_CoverageYearAndActions(t *testing.T) {
	st := surveytest.MustOpen(t, survey.SQLite, survey.Options{SynchronousNormal: true})
	ctx := context.Background()
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.CoverageRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 24*12; got != want {
		t.Fatalf("%d coverage rows, want 12 months of 24 branches (%d)", got, want)
	}
	last := map[int64]int64{}
	for _, r := range rows { // by period: each branch's mobile count never falls
		if r.WithMobile < last[r.TeamID] || r.SMSConsent > r.WithMobile || r.WithMobile > r.Clients {
			t.Errorf("implausible row %+v (last mobile %d)", r, last[r.TeamID])
		}
		last[r.TeamID] = r.WithMobile
	}
	tree, _ := st.Tree(ctx)
	actions, err := st.Actions(ctx, survey.FullScope(), tree.ByCode("CRV").ID)
	if err != nil || len(actions) < 3 {
		t.Errorf("actions = %d (%v), want a few", len(actions), err)
	}
}
