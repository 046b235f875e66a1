package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"digigap/auth"
	"digigap/survey"
)

// demoAccount is a sign-in made for the demo data, so that serve --demo
// can be tried at once. Its password is random and shown once, in the log:
// a demo database never ships a known password.
type demoAccount struct {
	Email, Role, Password string
	Teams                 []string
}

// createDemoAccounts adds an HR account and the manager of the demo's
// northern sector (or, in a bulk-loaded org, of the first sector).
func createDemoAccounts(ctx context.Context, st *survey.Store) ([]demoAccount, error) {
	acc := auth.New(st)
	sector, err := demoSector(ctx, st)
	if err != nil {
		return nil, err
	}
	out := []demoAccount{
		{Email: "rh@demo.invalid", Role: auth.RoleHR},
		{Email: "manager.nord@demo.invalid", Role: auth.RoleManager, Teams: []string{sector}},
	}
	for i := range out {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		out[i].Password = base64.RawURLEncoding.EncodeToString(b)
		in := auth.UserInput{Email: out[i].Email, Role: out[i].Role, TeamCodes: out[i].Teams, Password: out[i].Password}
		if _, err := acc.CreateUser(ctx, in); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// demoSector is the team the demo manager leads: CRV-NORD in the small
// demo, else the first child of the first root.
func demoSector(ctx context.Context, st *survey.Store) (string, error) {
	tree, err := st.Tree(ctx)
	if err != nil {
		return "", err
	}
	if tree.ByCode("CRV-NORD") != nil {
		return "CRV-NORD", nil
	}
	for _, root := range tree.Roots() {
		if kids := tree.Children(root); len(kids) > 0 {
			return tree.Team(kids[0]).Code, nil
		}
	}
	return "", survey.Errorf(survey.EINVALID, "the org has no sector for a demo manager")
}
