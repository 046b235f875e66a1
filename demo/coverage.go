package demo

import (
	"context"
	"math/rand/v2"
	"strings"
	"time"

	"digigap/survey"
)

// coverageMonths is how many months of client coverage the demo holds.
const coverageMonths = 12

// addCoverage imports 12 months of client contact coverage for every
// branch, ending last month: client numbers grow slowly, and branches
// whose staff carry their private habits to work collect contacts faster,
// so that the scatter tells the story. Sub-counts never exceed clients.
func addCoverage(ctx context.Context, st *survey.Store, rng *rand.Rand, rows []survey.TeamRow, teams []teamProfile) error {
	culture := map[string][]float64{}
	for _, t := range teams {
		branch, _, _ := strings.Cut(t.code, "-")
		culture[branch] = append(culture[branch], t.culture)
	}
	// From the first of the month: adding months to the 30th or 31st skips
	// into the next month and gives two rows of the same period.
	now := st.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -coverageMonths, 0)
	var out []survey.CoverageRow
	for _, r := range rows {
		cs, ok := culture[r.Code]
		if !ok {
			continue // a sector, the bank or a team: coverage is per branch
		}
		c := mean(cs)
		clients := 2500 + rng.IntN(3500)
		mobile, email := 0.38+0.3*c+0.05*rng.Float64(), 0.22+0.3*c+0.05*rng.Float64()
		growth := 0.002 + 0.008*c
		smsRate, mailRate := 0.55+0.25*rng.Float64(), 0.5+0.25*rng.Float64()
		for m := 0; m < coverageMonths; m++ {
			n := int64(float64(clients) * (1 + 0.002*float64(m)))
			mob, mail := min(mobile+growth*float64(m), 0.97), min(email+growth*float64(m), 0.95)
			withMobile, withEmail := int64(float64(n)*mob), int64(float64(n)*mail)
			out = append(out, survey.CoverageRow{
				TeamCode: r.Code, Period: first.AddDate(0, m, 0).Format("2006-01"), Clients: n,
				WithMobile: withMobile, WithEmail: withEmail,
				SMSConsent: int64(float64(withMobile) * smsRate), EmailConsent: int64(float64(withEmail) * mailRate),
			})
		}
	}
	_, err := st.ImportCoverage(ctx, out)
	return err
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// demoActions are what a few groups did between the waves; owners are
// roles, never people.
var demoActions = []struct {
	team string
	in   survey.ActionInput
}{
	{"AG001", survey.ActionInput{Title: "Formation SMS et e-mail pour les conseillers", Channels: []string{"sms", "email"}, StartsOn: "2026-05-04", OwnerRole: "directeur d'agence", Status: survey.ActionDone}},
	{"AG007", survey.ActionInput{Title: "Collecte des numéros de mobile au guichet", Channels: []string{"sms"}, StartsOn: "2026-06-15", OwnerRole: "directeur d'agence", Status: survey.ActionInProgress}},
	{"CRV-SUD", survey.ActionInput{Title: "Ouvrir le SMS professionnel dans le secteur", Channels: []string{"sms", "social_networks"}, StartsOn: "2026-04-01", OwnerRole: "directeur de secteur", Status: survey.ActionInProgress}},
	{"CRV", survey.ActionInput{Title: "Charte de l'écrit digital avec les clients", Channels: []string{"email", "instant_messaging"}, StartsOn: "2026-10-01", OwnerRole: "direction de la relation client", Status: survey.ActionPlanned}},
}

// addActions records the demo's actions.
func addActions(ctx context.Context, st *survey.Store, tree *survey.Tree) error {
	for _, a := range demoActions {
		if _, err := st.AddAction(ctx, survey.FullScope(), tree.ByCode(a.team).ID, a.in); err != nil {
			return err
		}
	}
	return nil
}
