package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"digigap/survey"
)

// Options choose the demo data; the same seed gives the same data.
type Options struct {
	Seed int64
}

// Summary counts what Generate wrote.
type Summary struct {
	Teams, Campaigns, Responses int
}

// wave is one demo campaign, six months after the previous one.
var waves = []struct {
	name, opens, closes string
}{
	{"Vague 1 — printemps 2026", "2026-03-02", "2026-03-20"},
	{"Vague 2 — automne 2026", "2026-09-07", "2026-09-25"},
}

// Generate imports the demo org, runs two closed waves and a third one
// still open through the same store calls a real campaign uses, so every
// rule and counter applies, then adds 12 months of client coverage, a few
// actions and the demo's reference values.
func Generate(ctx context.Context, st *survey.Store, opt Options) (*Summary, error) {
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
	sum := &Summary{Teams: len(rows)}
	for w, wv := range waves {
		n, err := runWave(ctx, st, rng, q, tree, teams, w, wv.name, wv.opens, wv.closes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wv.name, err)
		}
		sum.Campaigns++
		sum.Responses += n
	}
	n, err := runOpenWave(ctx, st, rng, q, tree, teams)
	if err != nil {
		return nil, fmt.Errorf("open wave: %w", err)
	}
	sum.Campaigns++
	sum.Responses += n
	if err := addCoverage(ctx, st, rng, rows, teams); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	if err := addActions(ctx, st, tree); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	return sum, addReferences(ctx, st)
}

func runWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile, w int, name, opens, closes string) (int, error) {
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{
		Name: name, QuestionnaireID: q.ID, TeamCodes: []string{"CRV"},
		OpensOn: opens, ClosesOn: closes, MinGroup: survey.DefaultMinGroup, AccessMode: survey.AccessBoth,
	})
	if err != nil {
		return 0, err
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		return 0, err
	}
	start, _ := time.Parse(survey.DateLayout, opens)
	n := 0
	for _, t := range teams {
		team := tree.ByCode(t.code)
		answering := int(float64(t.headcount)*(0.55+0.35*rng.Float64()) + 0.5)
		for i := 0; i < answering; i++ {
			day := start.Add(time.Duration(rng.IntN(14)) * 24 * time.Hour).Add(10 * time.Hour)
			inWave := st.WithClock(func() time.Time { return day })
			sub := survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: answer(rng, q.Def, t, w)}
			if _, err := inWave.Submit(ctx, sub); err != nil {
				return n, err
			}
			n++
		}
	}
	_, err = st.CloseCampaign(ctx, c.ID)
	return n, err
}
