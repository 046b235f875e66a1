package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

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

// Generate imports the demo org, runs two closed waves (through the bulk
// loader, which adds the same counters) and a third one still open (through
// Submit, as respondents answer, so every rule applies), then adds 12
// months of client coverage, a few actions and the demo's reference values. Every date follows the store's
// clock in the organisation's time zone (NewPlan). Generate writes step by
// step: run it inside Store.InTransaction for all or nothing.
func Generate(ctx context.Context, st *survey.Store, opt Options) (*Summary, error) {
	plan := NewPlan(st.Today())
	step := func(name string) error { // reports a step done; stops a cancelled run
		if opt.Progress != nil {
			opt.Progress(name)
		}
		return ctx.Err()
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
	if err := step("org"); err != nil {
		return nil, err
	}
	sum := &Summary{Teams: len(rows)}
	for w, wv := range plan.Closed {
		n, err := runClosedWave(ctx, st, rng, q, tree, teams, w, wv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wv.Name, err)
		}
		sum.Campaigns++
		sum.Responses += n
		if err := step(fmt.Sprintf("wave %d", w+1)); err != nil {
			return nil, err
		}
	}
	n, err := runOpenWave(ctx, st, rng, q, tree, teams, plan.Open)
	if err != nil {
		return nil, fmt.Errorf("open wave: %w", err)
	}
	sum.Campaigns++
	sum.Responses += n
	if err := step("open wave"); err != nil {
		return nil, err
	}
	if err := addCoverage(ctx, st, rng, rows, teams, plan.Months); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	if err := addActions(ctx, st, tree, plan.Actions); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	if err := addReferences(ctx, st, plan.Year); err != nil {
		return nil, err
	}
	return sum, step("done")
}

// runClosedWave runs a wave from its opening to its closing. Its answers
// go in with BulkInsert, one call per week of the wave (the day a response
// keeps is that week's first), which adds the same counters as one
// Submit per answer at a fraction of the statements.
func runClosedWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile, w int, wv WavePlan) (int, error) {
	c, err := createWave(ctx, st, q, wv)
	if err != nil {
		return 0, err
	}
	weeks := make([][]survey.BulkResponse, (wv.AnswerDays+6)/7)
	for _, t := range teams {
		team := tree.ByCode(t.code)
		for range answering(rng, t, 0.55, 0.35) {
			codes, comment, err := q.Def.EncodeAnswers(answer(rng, q.Def, t, w))
			if err != nil {
				return 0, err
			}
			week := rng.IntN(wv.AnswerDays) / 7
			weeks[week] = append(weeks[week], survey.BulkResponse{TeamID: team.ID, Codes: codes, Comment: comment})
		}
	}
	n := 0
	for i, rs := range weeks {
		k, err := st.BulkInsert(ctx, c.ID, survey.AddDays(wv.OpensOn, 7*i), func() (survey.BulkResponse, bool) {
			if len(rs) == 0 {
				return survey.BulkResponse{}, false
			}
			r := rs[0]
			rs = rs[1:]
			return r, true
		})
		n += k
		if err != nil {
			return n, err
		}
	}
	_, err = st.CloseCampaign(ctx, c.ID)
	return n, err
}

// createWave creates and opens wave wv over the whole bank.
func createWave(ctx context.Context, st *survey.Store, q *survey.Questionnaire, wv WavePlan) (*survey.Campaign, error) {
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{
		Name: wv.Name, QuestionnaireID: q.ID, TeamCodes: []string{"CRV"},
		OpensOn: wv.OpensOn, ClosesOn: wv.ClosesOn, MinGroup: survey.DefaultMinGroup, AccessMode: survey.AccessBoth,
	})
	if err != nil {
		return nil, err
	}
	_, err = st.OpenCampaign(ctx, c.ID)
	return c, err
}

// answering is how many of team t's staff answer a wave: a share of its
// headcount between base and base+spread.
func answering(rng *rand.Rand, t teamProfile, base, spread float64) int {
	return int(float64(t.headcount)*(base+spread*rng.Float64()) + 0.5)
}
