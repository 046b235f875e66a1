package demo

import (
	"context"
	"strconv"
	"time"

	"digigap/survey"
)

// openWave opens a third wave and answers part of it, spread over the
// days since it opened (today included): participation moves, figures
// wait for the close. It opened a few days ago and closes a few weeks
// from now, so that the dashboards show live participation on first start.
// Its answers go through Submit, one by one, as respondents' do, each at
// 10:00 on a day since the opening, in the organisation's time zone.
func (r *run) openWave(ctx context.Context, wv WavePlan) (int, error) {
	c, err := createWave(ctx, r.st, r.q, wv)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range r.teams {
		team := r.tree.ByCode(t.code)
		for range answering(r.rng, t, 0.15, 0.45) {
			start, err := survey.StartOfDay(survey.AddDays(wv.OpensOn, r.rng.IntN(wv.AnswerDays)), r.st.Location())
			if err != nil {
				return n, err
			}
			at := start.Add(10 * time.Hour)
			inWave := r.st.WithClock(func() time.Time { return at })
			sub := survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: answer(r.rng, r.form, t, 2)} // answers of a third wave
			if _, err := inWave.Submit(ctx, sub); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
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
