package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"digigap/survey"
)

// The open wave: it opened a few days before today and closes a few weeks
// after, so that the dashboards show live participation on first start.
const (
	openWaveStarted = 5  // days before today
	openWaveLasts   = 21 // days in all
)

// runOpenWave opens a third wave and answers part of it, spread over the
// days since it opened: participation moves, figures wait for the close.
func runOpenWave(ctx context.Context, st *survey.Store, rng *rand.Rand, q *survey.Questionnaire, tree *survey.Tree, teams []teamProfile) (int, error) {
	today := st.Now()
	start := today.AddDate(0, 0, -openWaveStarted)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{
		Name: openWaveName(today), QuestionnaireID: q.ID, TeamCodes: []string{"CRV"},
		OpensOn: start.Format(survey.DateLayout), ClosesOn: start.AddDate(0, 0, openWaveLasts).Format(survey.DateLayout),
		MinGroup: survey.DefaultMinGroup, AccessMode: survey.AccessBoth,
	})
	if err != nil {
		return 0, err
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		return 0, err
	}
	n := 0
	for _, t := range teams {
		team := tree.ByCode(t.code)
		answering := int(float64(t.headcount)*(0.15+0.45*rng.Float64()) + 0.5)
		for i := 0; i < answering; i++ {
			day := start.AddDate(0, 0, rng.IntN(openWaveStarted+1))
			inWave := st.WithClock(func() time.Time { return day })
			sub := survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: answer(rng, q.Def, t, len(waves))}
			if _, err := inWave.Submit(ctx, sub); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// openWaveName names the open wave after its season and year.
func openWaveName(today time.Time) string {
	season := map[time.Month]string{
		time.December: "hiver", time.January: "hiver", time.February: "hiver",
		time.March: "printemps", time.April: "printemps", time.May: "printemps",
		time.June: "été", time.July: "été", time.August: "été",
	}[today.Month()]
	if season == "" {
		season = "automne"
	}
	return "Vague 3 — " + season + " " + today.Format("2006") + " (en cours)"
}

// references are the demo's reference values: what clients do (the
// story's 70 % on the web site, 30 % on the app) and HR's target for
// all-channel use at work.
var references = []survey.ReferenceInput{
	{Label: "Clients : site web", Source: "Baromètre clients 2026 (démo)", Value: 70, Channel: "web_services"},
	{Label: "Clients : application", Source: "Baromètre clients 2026 (démo)", Value: 30, Channel: "smartphone_apps"},
	{Label: "Objectif 2027 au travail", Source: "Plan omnicanal (démo)", Value: 40, Channel: survey.AllChannels},
}

func addReferences(ctx context.Context, st *survey.Store) error {
	for _, r := range references {
		if _, err := st.AddReferenceValue(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
