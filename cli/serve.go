package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"digigap/api"
	"digigap/demo"
	"digigap/survey"
)

// openStore opens the configured database and makes sure the default
// questionnaire is there.
func openStore(ctx context.Context, cfg *Config) (*survey.Store, error) {
	st, err := survey.Open(ctx, cfg.DB, survey.Options{SynchronousNormal: cfg.SQLiteSynchronous == "normal"})
	if err != nil {
		return nil, err
	}
	if _, err := st.EnsureDefaultQuestionnaire(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runServe(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("serve", env, &cfg)
	fs.StringVar(&cfg.Addr, "addr", "localhost:8080", "address to listen on (host:port; :8080 for every interface)")
	fs.BoolVar(&cfg.Demo, "demo", false, "fill an empty database with the demo organisation and answers first")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the demo data")
	fs.StringVar(&cfg.MetricsAllow, "metrics-allow", "127.0.0.0/8,::1", "comma-separated networks allowed to read /metrics")
	fs.IntVar(&cfg.BatchSize, "batch-size", 256, "most submissions committed in one transaction (group commit); 1 commits each alone")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	allowed, err := api.ParseNetworks(cfg.MetricsAllow)
	if err != nil {
		return fmt.Errorf("--metrics-allow: %v", err)
	}
	log := cfg.logger(env.Stderr)
	ctx, stop := signalContext(ctx)
	defer stop()

	start := time.Now()
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.Demo {
		if err := loadDemoIfEmpty(ctx, st, cfg.Seed, log.Info); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", cfg.Addr, err)
	}
	metrics := api.NewMetrics()
	st.StartWriter(cfg.BatchSize, metrics.ObserveBatch)
	app := api.New(api.Deps{Store: st, Logger: log, Version: Version, Metrics: metrics, MetricsAllowed: allowed})
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	log.Info("digigap is serving", "url", "http://"+ln.Addr().String(), "database", st.Dialect(), "startup_ms", time.Since(start).Milliseconds())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(20 * time.Second); err != nil {
		log.Error("shutdown", "err", err.Error())
	}
	st.Close() // commits pending submissions before the connections close
	log.Info("stopped")
	return nil
}

// loadDemoIfEmpty fills a database that has no team yet, and leaves real data alone.
func loadDemoIfEmpty(ctx context.Context, st *survey.Store, seed int64, info func(string, ...any)) error {
	teams, err := st.Teams(ctx)
	if err != nil {
		return err
	}
	if len(teams) > 0 {
		info("demo data skipped: the database already has an org tree", "teams", len(teams))
		return nil
	}
	sum, err := demo.Generate(ctx, st, demo.Options{Seed: seed})
	if err != nil {
		return errors.Join(errors.New("demo data"), err)
	}
	info("demo data loaded", "teams", sum.Teams, "campaigns", sum.Campaigns, "responses", sum.Responses)
	return nil
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
	var sum *demo.Summary
	if *responses > 0 {
		sum, err = demo.GenerateBulk(ctx, st, demo.BulkOptions{Seed: cfg.Seed, Teams: *teams, Responses: *responses})
	} else {
		sum, err = demo.Generate(ctx, st, demo.Options{Seed: cfg.Seed})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo data: %d teams, %d campaigns, %d responses\n", sum.Teams, sum.Campaigns, sum.Responses)
	return nil
}

// signalContext ends on SIGINT or SIGTERM, so servers stop cleanly.
func signalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
}
