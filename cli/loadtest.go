package cli

import (
	"context"
	"net"
	"os"
	"time"

	"digigap/loadtest"
	"digigap/survey"
)

func runLoadtest(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("loadtest", env, &cfg)
	opt := loadtest.Options{}
	fs.IntVar(&opt.Clients, "clients", 64, "concurrent clients")
	fs.DurationVar(&opt.Duration, "duration", 8*time.Second, "length of each attack (floor, then digigap)")
	fs.DurationVar(&opt.Warmup, "warmup", time.Second, "load sent to each server before its attack, not counted (0: none)")
	fs.IntVar(&opt.Requests, "requests", 200000, "invitations prepared per server: the most requests one attack sends")
	fs.IntVar(&opt.Teams, "teams", 200, "teams in the load test org")
	fs.IntVar(&opt.Rounds, "rounds", 3, "floor-then-digigap measurements; the last line gives the medians")
	fs.StringVar(&opt.ProfileDir, "cpuprofile", "", "write a CPU profile of each server started into this folder (<name>.pprof)")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "digigap-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opt.Executable, opt.Dir = exe, dir
	if survey.IsPostgresDSN(cfg.DB) { // else the SQLite files go in dir
		opt.DB = cfg.DB
	}
	return loadtest.Run(ctx, opt, env.Stdout)
}

// runLoadtestFloor is the bare server the load test compares digigap with.
func runLoadtestFloor(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("loadtest-floor", env, &cfg)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:0", "address to listen on")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(ctx)
	defer stop()
	defer startProfile()()
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	return loadtest.ServeFloor(ctx, cfg.DB, ln)
}
