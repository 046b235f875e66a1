package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"digigap/survey"
)

// BulkOptions size a large demo: a national group of about Teams teams
// answering Responses questionnaires in one closed wave.
type BulkOptions struct {
	Seed      int64
	Teams     int
	Responses int
}

// bulkTeam is one answering team of the large demo.
type bulkTeam struct {
	teamProfile
	weight float64 // share of the responses it receives
	row    int     // index of its org row
}

// buildBulkOrg returns a bank with 10 sectors, branches of 9 teams each,
// about teams teams in all. One team in twenty is tiny (a few people), so
// that suppression has work to do at every size.
func buildBulkOrg(rng *rand.Rand, teams int) ([]survey.TeamRow, []bulkTeam) {
	rows := []survey.TeamRow{{Code: "GRP", Name: "Groupe bancaire national", Headcount: 40}}
	branches := max(1, (teams-11)/10)
	var out []bulkTeam
	for s := range 10 {
		sector := fmt.Sprintf("SEC%02d", s+1)
		rows = append(rows, survey.TeamRow{Code: sector, ParentCode: "GRP", Name: "Secteur " + sector, Headcount: 5})
		for b := s; b < branches; b += 10 {
			branch := fmt.Sprintf("AG%04d", b+1)
			rows = append(rows, survey.TeamRow{Code: branch, ParentCode: sector, Name: "Agence " + branch, Headcount: 2})
			culture := 0.2 + 0.7*rng.Float64()
			for k := range 9 {
				kind := teamKinds[k%len(teamKinds)]
				t := bulkTeam{teamProfile: teamProfile{code: fmt.Sprintf("%s-%d", branch, k+1), role: kind.role, blocksSMS: s%2 == 1,
					culture: clamp(culture+0.1*rng.NormFloat64(), 0.05, 0.95)}, weight: 0.5 + rng.Float64()}
				if rng.IntN(20) == 0 {
					t.weight = 0.01
				}
				rows = append(rows, survey.TeamRow{Code: t.code, ParentCode: branch, Name: kind.name + " " + branch})
				t.row = len(rows) - 1
				out = append(out, t)
			}
		}
	}
	return rows, out
}

// GenerateBulk imports the large org and loads opt.Responses answers into
// one closed campaign with survey.Store.BulkInsert, counters included.
func GenerateBulk(ctx context.Context, st *survey.Store, opt BulkOptions) (*Summary, error) {
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 0x51f15eed))
	rows, teams := buildBulkOrg(rng, opt.Teams)
	quota := bulkQuotas(rng, teams, opt.Responses)
	for i := range teams {
		rows[teams[i].row].Headcount = max(3, int(float64(quota[i])/0.7+0.5))
	}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		return nil, fmt.Errorf("org: %w", err)
	}
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		return nil, err
	}
	wave := NewPlan(st.Today()).Closed[1]
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague nationale", QuestionnaireID: q.ID, TeamCodes: []string{"GRP"},
		OpensOn: wave.OpensOn, ClosesOn: wave.ClosesOn, MinGroup: survey.DefaultMinGroup})
	if err != nil {
		return nil, err
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		return nil, err
	}
	tree, err := st.Tree(ctx)
	if err != nil {
		return nil, err
	}
	f := newForm(q.Def)
	ti, left := 0, quota[0]
	next := func() (survey.BulkResponse, bool) {
		for left == 0 {
			if ti++; ti >= len(teams) {
				return survey.BulkResponse{}, false
			}
			left = quota[ti]
		}
		left--
		codes, comment, err := q.Def.EncodeAnswers(answer(rng, f, teams[ti].teamProfile, 0))
		if err != nil {
			panic("demo answers do not fit the default questionnaire: " + err.Error())
		}
		return survey.BulkResponse{TeamID: tree.ByCode(teams[ti].code).ID, Codes: codes, Comment: comment}, true
	}
	n, err := st.BulkInsert(ctx, c.ID, survey.AddDays(wave.OpensOn, 8), next)
	if err != nil {
		return nil, err
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		return nil, err
	}
	return &Summary{Teams: len(rows), Campaigns: 1, Responses: n}, nil
}

// bulkQuotas splits total responses across teams by weight, exactly.
func bulkQuotas(rng *rand.Rand, teams []bulkTeam, total int) []int {
	sum := 0.0
	for _, t := range teams {
		sum += t.weight
	}
	quota := make([]int, len(teams))
	given := 0
	for i, t := range teams {
		quota[i] = int(float64(total) * t.weight / sum)
		given += quota[i]
	}
	for given < total {
		quota[rng.IntN(len(quota))]++
		given++
	}
	return quota
}
