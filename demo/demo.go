package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"digigap/survey"
)

// Options choose the demo data; the same seed on the same day gives the
// same data.
type Options struct {
	Seed int64
	// Progress, when set, hears each step done ("org", "wave 1", …): the
	// command line logs it, tests interrupt the demo there.
	Progress func(step string)
}

// Summary counts what Generate wrote.
type Summary struct {
	Teams, Campaigns, Responses int
}

// Generate imports the demo org, runs two closed waves and a third one
// still open through the same store calls a real campaign uses, so every
// rule and counter applies, then adds 12 months of client coverage, a few
// actions and the demo's reference values. Every date follows the store's
// clock in the organisation's time zone (NewPlan). Generate writes step by
// step: run it inside Store.InTransaction for all or nothing.
func Generate(ctx context.Context, st *survey.Store, opt Options) (*Summary, error) {
	plan := NewPlan(st.Today())
	progress := opt.Progress
	if progress == nil {
		progress = func(string) {}
	}
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 0x9e3779b97f4a7c15))
	rows, teams := buildOrg(rng)
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		return nil, fmt.Errorf("org: %w", err)
	}
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := st.Tree(ctx)
	if err != nil {
		return nil, err
	}
	progress("org")
	sum := &Summary{Teams: len(rows)}
	for w, wv := range plan.Closed {
		n, err := runClosedWave(ctx, st, rng, q, tree, teams, w, wv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wv.Name, err)
		}
		sum.Campaigns++
		sum.Responses += n
		progress(fmt.Sprintf("wave %d", w+1))
	}
	n, err := runOpenWave(ctx, st, rng, q, tree, teams, plan.Open)
	if err != nil {
		return nil, fmt.Errorf("open wave: %w", err)
	}
	sum.Campaigns++
	sum.Responses += n
	progress("open wave")
	if err := addCoverage(ctx, st, rng, rows, teams, plan.Months); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	if err := addActions(ctx, st, tree, plan.Actions); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	if err := addReferences(ctx, st, plan.Year); err != nil {
		return nil, err
	}
	progress("done")
	return sum, nil
}

// runClosedWave runs a wave from its opening to its closing.
func runClosedWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile, w int, wv WavePlan) (int, error) {
	id, n, err := runWave(ctx, st, rng, q, tree, teams, w, wv, 0.55, 0.35)
	if err != nil {
		return n, err
	}
	_, err = st.CloseCampaign(ctx, id)
	return n, err
}

// runWave creates and opens wave wv and answers it for a share of each
// team's headcount (from base to base+spread), each answer on a day of
// its AnswerDays, at 10:00 in the organisation's time zone.
func runWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile, w int, wv WavePlan, base, spread float64) (int64, int, error) {
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{
		Name: wv.Name, QuestionnaireID: q.ID, TeamCodes: []string{"CRV"},
		OpensOn: wv.OpensOn, ClosesOn: wv.ClosesOn, MinGroup: survey.DefaultMinGroup, AccessMode: survey.AccessBoth,
	})
	if err != nil {
		return 0, 0, err
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		return 0, 0, err
	}
	n := 0
	for _, t := range teams {
		team := tree.ByCode(t.code)
		answering := int(float64(t.headcount)*(base+spread*rng.Float64()) + 0.5)
		for i := 0; i < answering; i++ {
			start, err := survey.StartOfDay(survey.AddDays(wv.OpensOn, rng.IntN(wv.AnswerDays)), st.Location())
			if err != nil {
				return c.ID, n, err
			}
			at := start.Add(10 * time.Hour)
			inWave := st.WithClock(func() time.Time { return at })
			sub := survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: answer(rng, q.Def, t, w)}
			if _, err := inWave.Submit(ctx, sub); err != nil {
				return c.ID, n, err
			}
			n++
		}
	}
	return c.ID, n, nil
}
