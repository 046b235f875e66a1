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
