package cli

import (
	"context"
	"fmt"

	"digigap/survey"
)

// runVerify recounts every aggregate counter from the raw responses and
// fails (exit 1) on any difference, listing each one.
func runVerify(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("verify", env, &cfg)
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if !survey.IsPostgresDSN(cfg.DB) {
		// Before opening, which would create an empty database or replay
		// a log: a restored backup must be a complete digigap file.
		sum, err := survey.CheckSQLiteFile(ctx, cfg.DB)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", cfg.DB, sum)
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	diffs, err := st.Verify(ctx)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(env.Stdout, d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d counters differ from the responses", len(diffs))
	}
	fmt.Fprintln(env.Stdout, "counters match the responses")
	return nil
}
