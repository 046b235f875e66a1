package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"digigap/survey"
)

// baseURLFlag declares --base-url (DIGIGAP_BASE_URL), the public address of
// the respondent pages that invitation and team links start with.
func baseURLFlag(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.BaseURL, "base-url", "", "public address of the survey pages in links, e.g. https://survey.example.com")
}

// runInvitationsGenerate writes the mail-merge CSV of new personal
// invitations to stdout: the only copy of the tokens.
func runInvitationsGenerate(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("invitations generate", env, &cfg)
	baseURLFlag(fs, &cfg)
	campaign := fs.Int64("campaign", 0, "campaign id")
	teams := fs.String("teams", "", "comma-separated team codes of the campaign (default: all its teams)")
	count := fs.Int("count", 0, "invitations per team (default: each team's headcount)")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if *campaign <= 0 {
		return errors.New("give --campaign ID")
	}
	if cfg.BaseURL == "" {
		return errors.New("give --base-url (or DIGIGAP_BASE_URL), the address respondents open, e.g. https://survey.example.com")
	}
	req := survey.InvitationRequest{Count: *count}
	for _, code := range strings.Split(*teams, ",") {
		if code = strings.TrimSpace(code); code != "" {
			req.TeamCodes = append(req.TeamCodes, code)
		}
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	issued, err := st.GenerateInvitations(ctx, *campaign, req)
	if err != nil {
		return err
	}
	if err := survey.WriteInvitationsCSV(env.Stdout, cfg.BaseURL, issued); err != nil {
		return err
	}
	teamsDone := map[string]bool{}
	for _, inv := range issued {
		teamsDone[inv.TeamCode] = true
	}
	fmt.Fprintf(env.Stderr, "generated %d invitations for %d teams; this output is the only copy of the links (unused older ones of these teams are revoked)\n", len(issued), len(teamsDone))
	return nil
}
