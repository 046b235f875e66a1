// Package demo generates digigap's demonstration data: a regional bank's
// org tree, two closed survey waves, a third still open, reference values
// and answers that tell the story of DESIGN.md. It has its own home
// because serve --demo, the demo command and the benchmarks all use it,
// and none of them is the domain itself.
package demo

import (
	"fmt"
	"math/rand/v2"

	"digigap/survey"
)

var sectors = []struct {
	code, name string
	towns      []string
	blocksSMS  bool // SMS and social networks not allowed at work here
}{
	{"NORD", "Secteur Nord", []string{"Lille Centre", "Roubaix", "Tourcoing", "Douai", "Arras", "Béthune"}, false},
	{"SUD", "Secteur Sud", []string{"Montpellier Comédie", "Nîmes", "Béziers", "Sète", "Alès", "Lunel"}, true},
	{"EST", "Secteur Est", []string{"Nancy Stanislas", "Metz", "Épinal", "Lunéville", "Toul", "Verdun"}, true},
	{"OUEST", "Secteur Ouest", []string{"Rennes République", "Vannes", "Saint-Malo", "Lorient", "Quimper", "Fougères"}, false},
}

var teamKinds = []struct{ code, name, role string }{
	{"ACC", "Accueil et services", "back_office"},
	{"PART", "Conseil particuliers", "client_advisor"},
	{"PRO", "Conseil professionnels", "business_advisor"},
}

// teamProfile is what shapes a team's answers.
type teamProfile struct {
	code      string
	headcount int
	culture   float64 // 0..1: how far staff carry private habits into work
	blocksSMS bool
	role      string
}

// buildOrg returns the org rows and the answering teams' profiles: one
// bank, 4 sectors, 24 branches, 1 to 3 teams each, about 600 staff.
func buildOrg(rng *rand.Rand) ([]survey.TeamRow, []teamProfile) {
	rows := []survey.TeamRow{{Code: "CRV", Name: "Crédit Régional du Val", Headcount: 12}}
	var teams []teamProfile
	small := map[int]bool{3: true, 10: true, 17: true} // branches with a team under the threshold
	b := 0
	for _, s := range sectors {
		rows = append(rows, survey.TeamRow{Code: "CRV-" + s.code, ParentCode: "CRV", Name: s.name, Headcount: 3})
		for _, town := range s.towns {
			branch := fmt.Sprintf("AG%03d", b+1)
			rows = append(rows, survey.TeamRow{Code: branch, ParentCode: "CRV-" + s.code, Name: "Agence " + town, Headcount: 1})
			branchCulture := 0.2 + 0.7*rng.Float64()
			n := 1 + rng.IntN(3)
			for k := 0; k < n; k++ {
				kind := teamKinds[(k+b)%len(teamKinds)]
				hc := 7 + rng.IntN(12)
				if small[b] && k == 0 {
					hc = 3 + rng.IntN(2)
				}
				code := branch + "-" + kind.code
				rows = append(rows, survey.TeamRow{Code: code, ParentCode: branch, Name: kind.name + " " + town, Headcount: hc})
				teams = append(teams, teamProfile{code: code, headcount: hc, culture: clamp(branchCulture+0.1*rng.NormFloat64(), 0.05, 0.95), blocksSMS: s.blocksSMS, role: kind.role})
			}
			b++
		}
	}
	return rows, teams
}

func clamp(x, lo, hi float64) float64 {
	return min(max(x, lo), hi)
}
