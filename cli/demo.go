package cli

import (
	"context"
	"errors"
	"fmt"

	"digigap/auth"
	"digigap/demo"
	"digigap/survey"
)

// loadDemoIfEmpty fills a database that has no team yet, and leaves real
// data alone. The demo and its sign-ins are written in one transaction, so
// an interrupted run leaves an empty database that the next start fills.
func loadDemoIfEmpty(ctx context.Context, st *survey.Store, seed int64, info func(string, ...any)) error {
	if err := demoTarget(ctx, st); errors.Is(err, errHasOrg) {
		info("demo data skipped: the database already has an org tree")
		return nil
	} else if err != nil {
		return err
	}
	progress := func(step string) { info("demo data: " + step) }
	sum, accounts, err := generateDemo(ctx, st, func(tx *survey.Store) (*demo.Summary, error) {
		return demo.Generate(ctx, tx, demo.Options{Seed: seed, Progress: progress})
	})
	if err != nil {
		return errors.Join(errors.New("demo data (nothing was written)"), err)
	}
	info("demo data loaded", "teams", sum.Teams, "campaigns", sum.Campaigns, "responses", sum.Responses, "today", st.Today())
	for _, a := range accounts {
		info("demo sign-in (shown once: note it)", "email", a.Email, "password", a.Password, "role", a.Role)
	}
	return nil
}

// errHasOrg marks a database that already holds an org tree.
var errHasOrg = errors.New("the database already has an org tree")

// demoTarget says whether demo data may go into st: nil when it has no
// team, errHasOrg when it holds an org and accounts, and a clear error for
// an org without any account (what an interrupted demo of earlier releases
// left), which the demo would neither fill nor make usable.
func demoTarget(ctx context.Context, st *survey.Store) error {
	teams, err := st.Teams(ctx)
	if err != nil || len(teams) == 0 {
		return err
	}
	users, err := auth.New(st).Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return errors.New("the database has an org tree but no account, as an interrupted demo of an older digigap leaves it: " +
			"delete it (digigap.db*) and start again for a fresh demo, or create an account with 'digigap user create'")
	}
	return errHasOrg
}

// generateDemo runs gen and creates the demo sign-ins in one transaction:
// demo data never exists without its accounts, nor half-written.
func generateDemo(ctx context.Context, st *survey.Store, gen func(tx *survey.Store) (*demo.Summary, error)) (*demo.Summary, []demoAccount, error) {
	var sum *demo.Summary
	var accounts []demoAccount
	err := st.InTransaction(ctx, func(tx *survey.Store) error {
		var err error
		if sum, err = gen(tx); err != nil {
			return err
		}
		accounts, err = createDemoAccounts(ctx, tx)
		return err
	})
	return sum, accounts, err
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("demo", env, &cfg)
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the demo data (same seed, same data)")
	responses := fs.Int("responses", 0, "instead of the small demo, load this many responses into one wave of a large org (bulk loader, for benchmarks)")
	teams := fs.Int("teams", 2000, "with --responses: about how many teams the large org has")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if *responses < 0 || *teams < 20 || *teams > 100_000 {
		return fmt.Errorf("--responses must be positive and --teams between 20 and 100000")
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := demoTarget(ctx, st); errors.Is(err, errHasOrg) {
		return fmt.Errorf("%s %s: the demo fills only an empty database (give --db a new file)", cfg.DB, err)
	} else if err != nil {
		return err
	}
	sum, accounts, err := generateDemo(ctx, st, func(tx *survey.Store) (*demo.Summary, error) {
		if *responses > 0 {
			return demo.GenerateBulk(ctx, tx, demo.BulkOptions{Seed: cfg.Seed, Teams: *teams, Responses: *responses})
		}
		return demo.Generate(ctx, tx, demo.Options{Seed: cfg.Seed})
	})
	if err != nil {
		return errors.Join(errors.New("demo data (nothing was written)"), err)
	}
	fmt.Fprintf(env.Stdout, "demo data: %d teams, %d campaigns, %d responses\n", sum.Teams, sum.Campaigns, sum.Responses)
	for _, a := range accounts {
		fmt.Fprintf(env.Stdout, "demo sign-in (shown once): %s / %s (%s)\n", a.Email, a.Password, a.Role)
	}
	return nil
}
