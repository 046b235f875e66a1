package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
)

// openStore opens the configured database and makes sure the default
// questionnaire is there.
func openStore(ctx context.Context, cfg *Config) (*survey.Store, error) {
	st, err := survey.Open(ctx, cfg.DB, survey.Options{SynchronousNormal: cfg.SQLiteSynchronous == "normal", Location: cfg.location, Now: cfg.now, Timeout: cfg.DBTimeout, MixKeyFile: cfg.MixKeyFile})
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
	var mail mailConfig
	fs := newFlagSet("serve", env, &cfg)
	mailFlags(fs, &mail)
	fs.StringVar(&cfg.Addr, "addr", "localhost:8080", "address to listen on (host:port; :8080 for every interface)")
	fs.BoolVar(&cfg.Demo, "demo", false, "fill an empty database with the demo organisation and answers first")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the demo data")
	fs.StringVar(&cfg.MetricsAllow, "metrics-allow", "127.0.0.0/8,::1", "comma-separated networks allowed to read /metrics")
	fs.IntVar(&cfg.BatchSize, "batch-size", 256, "most submissions committed in one transaction (group commit); 1 commits each alone")
	baseURLFlag(fs, &cfg)
	fs.DurationVar(&cfg.DBTimeout, "db-timeout", survey.DefaultTimeout, "longest a request or a group commit waits for the database before answering 503")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", 8*time.Second, "on SIGTERM, how long requests in flight may finish before slow clients are cut off")
	fs.BoolVar(&cfg.InsecureCookies, "insecure-cookies", false, "cookies without Secure and the __Host- prefix, for plain http (default: on only when listening on a loopback address with no trusted proxy)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto are believed")
	fs.IntVar(&cfg.TeamLinkRate, "team-link-rate", api.DefaultTeamLinkRate, "most answers one team link takes a minute on this instance (the headcount cap is separate)")
	signInFlags(fs, &cfg.SignIn)
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	oidcCfg, err := cfg.SignIn.oidc(env, cfg.BaseURL)
	if err != nil {
		return err
	}
	relay, err := mail.relay(env, &cfg)
	if err != nil {
		return err
	}
	allowed, err := api.ParseNetworks(cfg.MetricsAllow)
	if err != nil {
		return fmt.Errorf("--metrics-allow: %v", err)
	}
	insecure := insecureCookies(fs, &cfg)
	log := cfg.logger(env.Stderr)
	ctx, stop := signalContext(ctx)
	defer stop()
	defer startProfile()()

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
	acc := auth.New(st)
	sender, mailed := startMail(ctx, st, relay, &mail, &cfg, log)
	defer func() { <-mailed }()
	app := api.New(api.Deps{Mail: sender, Store: st, Accounts: acc, Logger: log, Version: Version, Metrics: metrics, MetricsAllowed: allowed,
		BaseURL: cfg.BaseURL, InsecureCookies: insecure, TrustedProxies: splitCodes(cfg.TrustedProxies),
		OIDC: oidcCfg, NoLocalSignIn: !cfg.SignIn.Local, RequireTOTPForHR: hrSecondFactor(fs, &cfg), TeamLinkRate: cfg.TeamLinkRate})
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	maintained := make(chan struct{})
	go func() { maintainEvery(ctx, 24*time.Hour, time.Minute, st, acc, log); close(maintained) }()
	defer func() { <-maintained }()
	log.Info("digigap is serving", "url", "http://"+ln.Addr().String(), "database", st.Dialect(), "startup_ms", time.Since(start).Milliseconds())
	if insecure {
		log.Warn("cookies are sent without Secure: use this only for http://localhost (see --insecure-cookies)")
	}
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		stop()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "grace", cfg.ShutdownGrace.String())
	if err := app.ShutdownWithTimeout(cfg.ShutdownGrace); err != nil {
		// Slow or idle clients still hold connections: they are cut
		// when the process exits, so a container stops within its grace.
		log.Warn("shutdown grace over: closing the connections of slow clients", "grace", cfg.ShutdownGrace.String())
	}
	<-mailed
	st.Close() // commits pending submissions before the connections close
	log.Info("stopped")
	return nil
}

// signalContext ends on SIGINT or SIGTERM, so servers stop cleanly.
func signalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
}

// insecureCookies decides whether cookies may travel over plain http: as
// --insecure-cookies (or DIGIGAP_INSECURE_COOKIES) says when given, else
// only when the server listens on a loopback address with no trusted proxy
// in front, i.e. `digigap serve` on a developer's machine. Behind a
// TLS-terminating proxy, --trusted-proxies keeps the cookies secure.
func insecureCookies(fs *flag.FlagSet, cfg *Config) bool {
	if given(fs, "insecure-cookies") {
		return cfg.InsecureCookies
	}
	return isLoopback(cfg.Addr) && strings.TrimSpace(cfg.TrustedProxies) == ""
}

// hrSecondFactor is --hr-second-factor, off by default on a demo only: the
// demo's HR sign-in is for trying the product at once, and its password is
// random and printed in the log anyway.
func hrSecondFactor(fs *flag.FlagSet, cfg *Config) bool {
	if cfg.Demo && !given(fs, "hr-second-factor") {
		return false
	}
	return cfg.SignIn.HRSecondFactor
}

// given reports whether a flag was set on the command line or by its
// DIGIGAP_ environment variable.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// isLoopback reports whether addr (host:port) listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
