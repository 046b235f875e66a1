package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"digigap/auth"
	"digigap/survey"
)

// fileArg opens the one positional file argument of a command ("-" is stdin).
func fileArg(fs interface{ Args() []string }, env *Env, what string) ([]byte, error) {
	if len(fs.Args()) != 1 {
		return nil, fmt.Errorf("give exactly one %s file", what)
	}
	if fs.Args()[0] == "-" {
		return io.ReadAll(io.LimitReader(env.Stdin, 32<<20))
	}
	return os.ReadFile(fs.Args()[0])
}

func runOrgImport(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("org import", env, &cfg)
	dry := fs.Bool("dry-run", false, "only show what would change")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	data, err := fileArg(fs, env, "CSV")
	if err != nil {
		return err
	}
	rows, err := survey.ParseOrgCSV(strings.NewReader(string(data)))
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var plan *survey.OrgPlan
	if *dry {
		plan, err = st.PlanOrgImportWith(ctx, rows, auth.New(st).OrgManagers())
	} else {
		plan, err = st.ImportOrgWith(ctx, rows, auth.New(st).OrgManagers())
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if *dry {
		verb = "would import"
	}
	fmt.Fprintf(env.Stdout, "%s %d teams: %d new, %d renamed, %d moved, %d headcount changes, %d removed, %d unchanged\n",
		verb, len(rows), len(plan.Added), len(plan.Renamed), len(plan.Moved), len(plan.Headcount), len(plan.Removed), plan.Unchanged)
	if len(plan.Restored) > 0 {
		codes := make([]string, len(plan.Restored))
		for i, r := range plan.Restored {
			codes[i] = r.Code
		}
		fmt.Fprintf(env.Stdout, "archived teams listed again, restored: %s\n", strings.Join(codes, " "))
	}
	if m := plan.Managers; m != nil {
		fmt.Fprintf(env.Stdout, "managers: %d new, %d re-enabled, %d with other teams, %d disabled, %d unchanged\n",
			len(m.Create), len(m.Enable), len(m.Update), len(m.Disable), m.Kept)
	}
	return nil
}

func runQuestionnaireLoad(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("questionnaire load", env, &cfg)
	current := fs.Bool("current", false, "make it the version new campaigns use")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	data, err := fileArg(fs, env, "questionnaire")
	if err != nil {
		return err
	}
	def, err := survey.ParseDefinition(data)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	q, err := st.SaveQuestionnaire(ctx, def, *current)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "stored questionnaire %s version %d as id %d (current: %v)\n", q.Key, q.Version, q.ID, q.IsCurrent)
	return nil
}

func runQuestionnaireList(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	if err := parse(newFlagSet("questionnaire list", env, &cfg), args, env, &cfg); err != nil {
		return err
	}
	return withStore(ctx, &cfg, func(st *survey.Store) error {
		qs, err := st.Questionnaires(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKEY\tVERSION\tCURRENT")
		for _, q := range qs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%v\n", q.ID, q.Key, q.Version, q.IsCurrent)
		}
		return tw.Flush()
	})
}

// withStore opens the configured database for the length of fn.
func withStore(ctx context.Context, cfg *Config, fn func(*survey.Store) error) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

func runCampaignCreate(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	var in survey.CampaignInput
	fs := newFlagSet("campaign create", env, &cfg)
	fs.StringVar(&in.Name, "name", "", "campaign name, e.g. \"Vague 3 — printemps 2027\"")
	fs.Int64Var(&in.QuestionnaireID, "questionnaire", 0, "questionnaire version id (default: the current one)")
	teams := fs.String("teams", "", "comma-separated team codes; each covers its whole subtree")
	fs.StringVar(&in.OpensOn, "opens", "", "opening date, YYYY-MM-DD")
	fs.StringVar(&in.ClosesOn, "closes", "", "closing date, YYYY-MM-DD")
	fs.IntVar(&in.MinGroup, "min-group", survey.DefaultMinGroup, "anonymity threshold k (at least 3)")
	fs.StringVar(&in.AccessMode, "access", survey.AccessBoth, "invitation, team_link or both")
	fs.BoolVar(&in.LiveResults, "live-results", false, "let HR see figures while the campaign is open (in steps of k answers)")
	fs.IntVar(&in.RetentionDays, "retention-days", survey.DefaultRetentionDays, "days raw answers are kept after closing")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	for _, code := range strings.Split(*teams, ",") {
		if code = strings.TrimSpace(code); code != "" {
			in.TeamCodes = append(in.TeamCodes, code)
		}
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if in.QuestionnaireID == 0 {
		if in.QuestionnaireID, err = currentQuestionnaire(ctx, st); err != nil {
			return err
		}
	}
	c, err := st.CreateCampaign(ctx, in)
	if err != nil {
		return err
	}
	return printJSON(env, c)
}

func currentQuestionnaire(ctx context.Context, st *survey.Store) (int64, error) {
	qs, err := st.Questionnaires(ctx)
	if err != nil {
		return 0, err
	}
	for _, q := range qs {
		if q.IsCurrent {
			return q.ID, nil
		}
	}
	return 0, fmt.Errorf("no current questionnaire: load one first")
}

func runCampaignList(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	if err := parse(newFlagSet("campaign list", env, &cfg), args, env, &cfg); err != nil {
		return err
	}
	return withStore(ctx, &cfg, func(st *survey.Store) error {
		cs, err := st.Campaigns(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tOPENS\tCLOSES\tPHASE\tK")
		for _, c := range cs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", c.ID, c.Name, c.OpensOn, c.ClosesOn, c.Phase(st.Today()), c.MinGroup)
		}
		return tw.Flush()
	})
}

func runCampaignOpen(ctx context.Context, env *Env, args []string) error {
	return moveCampaign(ctx, env, args, "campaign open", (*survey.Store).OpenCampaign)
}

func runCampaignClose(ctx context.Context, env *Env, args []string) error {
	return moveCampaign(ctx, env, args, "campaign close", (*survey.Store).CloseCampaign)
}

func moveCampaign(ctx context.Context, env *Env, args []string, name string, move func(*survey.Store, context.Context, int64) (*survey.Campaign, error)) error {
	var cfg Config
	fs := newFlagSet(name, env, &cfg)
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if len(fs.Args()) != 1 {
		return fmt.Errorf("give the campaign id")
	}
	id, err := strconv.ParseInt(fs.Args()[0], 10, 64)
	if err != nil {
		return fmt.Errorf("campaign id must be a number, not %q", fs.Args()[0])
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := move(st, ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "campaign %d %q is now %s\n", c.ID, c.Name, c.State)
	return nil
}

func printJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
