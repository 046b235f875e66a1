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
	r := &run{st: st, rng: rand.New(rand.NewPCG(uint64(opt.Seed), 0x9e3779b97f4a7c15))}
	rows, teams := buildOrg(r.rng)
	r.teams = teams
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		return nil, fmt.Errorf("org: %w", err)
	}
	var err error
	if r.q, err = st.EnsureDefaultQuestionnaire(ctx); err != nil {
		return nil, err
	}
	if r.tree, err = st.Tree(ctx); err != nil {
		return nil, err
	}
	r.form = newForm(r.q.Def)
	if err := step("org"); err != nil {
		return nil, err
	}
	sum := &Summary{Teams: len(rows)}
	for w, wv := range plan.Closed {
		n, err := r.closedWave(ctx, w, wv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wv.Name, err)
		}
		sum.Campaigns++
		sum.Responses += n
		if err := step(fmt.Sprintf("wave %d", w+1)); err != nil {
			return nil, err
		}
	}
	n, err := r.openWave(ctx, plan.Open)
	if err != nil {
		return nil, fmt.Errorf("open wave: %w", err)
	}
	sum.Campaigns++
	sum.Responses += n
	if err := step("open wave"); err != nil {
		return nil, err
	}
	if err := addCoverage(ctx, st, r.rng, rows, teams, plan.Months); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	if err := addActions(ctx, st, r.tree, plan.Actions); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	if err := addReferences(ctx, st, plan.Year); err != nil {
		return nil, err
	}
	return sum, step("done")
}

// run is what the waves of one Generate share.
type run struct {
	st    *survey.Store
	rng   *rand.Rand
	q     *survey.Questionnaire
	form  *form
	tree  *survey.Tree
	teams []teamProfile
}

// closedWave runs wave number w from its opening to its closing. Its
// answers go in with one BulkInsert, dated in the middle of the wave, which
// adds the same counters as one Submit per answer at a fraction of the
// statements (nothing reads a response's day but the retention purge,
// which goes by the closing date).
func (r *run) closedWave(ctx context.Context, w int, wv WavePlan) (int, error) {
	c, err := createWave(ctx, r.st, r.q, wv)
	if err != nil {
		return 0, err
	}
	var rs []survey.BulkResponse
	for _, t := range r.teams {
		team := r.tree.ByCode(t.code)
		for range answering(r.rng, t, 0.55, 0.35) {
			codes, comment, err := r.q.Def.EncodeAnswers(answer(r.rng, r.form, t, w))
			if err != nil {
				return 0, err
			}
			rs = append(rs, survey.BulkResponse{TeamID: team.ID, Codes: codes, Comment: comment})
		}
	}
	n, err := r.st.BulkInsert(ctx, c.ID, survey.AddDays(wv.OpensOn, wv.AnswerDays/2), func() (survey.BulkResponse, bool) {
		if len(rs) == 0 {
			return survey.BulkResponse{}, false
		}
		next := rs[0]
		rs = rs[1:]
		return next, true
	})
	if err != nil {
		return n, err
	}
	_, err = r.st.CloseCampaign(ctx, c.ID)
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
