package demo

import (
	"context"
	"math/rand/v2"
	"strconv"

	"digigap/survey"
)

// runOpenWave opens a third wave and answers part of it, spread over the
// days since it opened (today included): participation moves, figures
// wait for the close. It opened a few days ago and closes a few weeks
// from now, so that the dashboards show live participation on first start.
func runOpenWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile, wv WavePlan) (int, error) {
	_, n, err := runWave(ctx, st, rng, q, tree, teams, 2, wv, 0.15, 0.45) // answers of a third wave
	return n, err
}

// references are the demo's reference values: what clients do (the
// story's 70 % on the web site, 30 % on the app) and HR's target for
// all-channel use at work. Labels carry the year of the demo's today.
func references(year int) []survey.ReferenceInput {
	y := strconv.Itoa(year)
	next := strconv.Itoa(year + 1)
	return []survey.ReferenceInput{
		{Label: "Clients : site web", Source: "Baromètre clients " + y + " (démo)", Value: 70, Channel: "web_services"},
		{Label: "Clients : application", Source: "Baromètre clients " + y + " (démo)", Value: 30, Channel: "smartphone_apps"},
		{Label: "Objectif " + next + " au travail", Source: "Plan omnicanal (démo)", Value: 40, Channel: survey.AllChannels},
	}
}

func addReferences(ctx context.Context, st *survey.Store, year int) error {
	for _, r := range references(year) {
		if _, err := st.AddReferenceValue(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
