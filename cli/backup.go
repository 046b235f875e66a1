package cli

import (
	"context"
	"fmt"
)

func runBackup(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("backup", env, &cfg)
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("give the copy's file with --to")
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := st.Backup(ctx, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s: %s\n", cfg.DB, *to, sum)
	return nil
}
