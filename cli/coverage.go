package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"digigap/survey"
)

// runCoverageImport stores a client contact coverage file: counts of
// clients per team and month; the months it holds are replaced.
func runCoverageImport(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("coverage import", env, &cfg)
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	data, err := fileArg(fs, env, "CSV")
	if err != nil {
		return err
	}
	rows, err := survey.ParseCoverageCSV(bytes.NewReader(data))
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.ImportCoverage(ctx, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d coverage rows; replaced %s\n", res.Rows, strings.Join(res.Periods, ", "))
	return nil
}
