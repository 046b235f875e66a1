// Package loadtest measures digigap's submission throughput against a
// floor: it prepares a database with an open campaign and many invitations,
// starts the real server and a bare group-commit server as subprocesses,
// drives both with the same HTTP POSTs (vegeta) and compares. It has its own
// home because it is a tool around the binary, not part of serving.
//
// Besides answers a second and p99, each round prints what each server
// spent per answer stored: CPU time and bytes sent to storage, read from
// /proc (cost.go). On a machine shared with other work these move far less
// than throughput does, so they show what a change saves. The floor is
// described in floor.go.
package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"digigap/survey"
)

// Fixture is a database ready to take submissions.
type Fixture struct {
	CampaignID int64
	Tokens     []string
	Answers    []byte // a fully answered default questionnaire, as JSON
	hrToken    string // an HR API token, when a test made one
}

// storeOptions opens the store as the servers started on it will: with
// the mixing key their DIGIGAP_MIX_KEY_FILE names, if any (the default
// otherwise), so that the fixture and the servers share one key.
func storeOptions() survey.Options {
	return survey.Options{MixKeyFile: os.Getenv("DIGIGAP_MIX_KEY_FILE")}
}

// Prepare fills dsn with an org of teams, an open campaign over it and n
// invitations, and returns what requests need.
func Prepare(ctx context.Context, dsn string, teams, n int) (*Fixture, error) {
	st, err := survey.Open(ctx, dsn, storeOptions())
	if err != nil {
		return nil, err
	}
	defer st.Close()
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		return nil, err
	}
	rows := []survey.TeamRow{{Code: "ORG", Name: "Load test bank", Headcount: 1}}
	for i := 0; i < teams; i++ {
		rows = append(rows, survey.TeamRow{Code: fmt.Sprintf("T%04d", i), ParentCode: "ORG", Name: fmt.Sprintf("Team %d", i), Headcount: n/teams + 1})
	}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		return nil, err
	}
	today := st.Today()
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Load test", QuestionnaireID: q.ID, TeamCodes: []string{"ORG"},
		OpensOn: survey.AddDays(today, -1), ClosesOn: survey.AddDays(today, 30)})
	if err != nil {
		return nil, err
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		return nil, err
	}
	f := &Fixture{CampaignID: c.ID, Tokens: make([]string, n)}
	invs := make([]survey.Invitation, 0, 2000)
	for i := range f.Tokens {
		f.Tokens[i] = survey.NewToken()
		invs = append(invs, survey.Invitation{TokenHash: survey.HashToken(f.Tokens[i]), CampaignID: c.ID, TeamID: c.TeamIDs[1+i%teams]})
		if len(invs) == cap(invs) || i == n-1 {
			if err := st.DB().WithContext(ctx).Create(&invs).Error; err != nil {
				return nil, err
			}
			invs = invs[:0]
		}
	}
	f.Answers, err = json.Marshal(fullAnswers(q.Def))
	return f, err
}

// fullAnswers answers every question of def, as a respondent who skips nothing.
func fullAnswers(def *survey.Definition) survey.Answers {
	a := survey.Answers{}
	for i, it := range def.Items() {
		opts := def.ItemOptions(it)
		switch it.Kind {
		case survey.KindSingle:
			a[it.ID] = opts[i%len(opts)].Value
		case survey.KindMulti:
			a[it.ID] = []int{opts[0].Value, opts[len(opts)/2].Value}
		case survey.KindText:
			a[it.ID] = "Les clients demandent plus souvent à échanger par SMS."
		}
	}
	return a
}

// Body is the JSON of one submission with token.
func (f *Fixture) Body(token string) []byte {
	return []byte(fmt.Sprintf(`{"campaign_id":%d,"token":%q,"answers":%s}`, f.CampaignID, token, f.Answers))
}
