package loadtest

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Options size a load test run.
type Options struct {
	Executable string        // the digigap binary to start
	Dir        string        // where the databases go (SQLite) and the mixing key
	DB         string        // a postgres:// URL: each server gets a fresh schema there; "" for SQLite files in Dir
	Clients    int           // concurrent clients (connections)
	Duration   time.Duration // length of each attack
	Warmup     time.Duration // load sent to each server before its attack, not counted
	Requests   int           // invitations prepared per server (upper bound of requests)
	Teams      int
	Rounds     int    // floor-then-digigap measurements; the summary gives medians
	ProfileDir string // when set, each server writes its CPU profile there
}

// Result is one server's measured run.
type Result struct {
	PerSecond float64
	P99       time.Duration
	Success   float64
	PeakRSSMB float64
	CPUMS     float64 // server CPU per answer stored, milliseconds
	DiskKB    float64 // bytes the server sent to storage per answer stored, KB
	Errors    []string
	stored    float64 // answers acknowledged with 201
}

// Run measures the floor, then the real server, Rounds times in turn (on a
// 2-core machine the client shares the cores with the server, so single
// runs are noisy), and writes a summary whose last line holds the medians.
func Run(ctx context.Context, opt Options, out io.Writer) error {
	if os.Getenv("DIGIGAP_MIX_KEY_FILE") == "" { // one key for the fixtures and the servers they start
		os.Setenv("DIGIGAP_MIX_KEY_FILE", filepath.Join(opt.Dir, "digigap.mixkey"))
		defer os.Unsetenv("DIGIGAP_MIX_KEY_FILE") // opt.Dir goes with this run
	}
	database := "SQLite (synchronous=FULL)"
	if opt.DB != "" {
		database = "PostgreSQL (synchronous_commit=on)"
	}
	fmt.Fprintf(out, "%s, %d clients, %s per attack after %s of warm-up\n", database, opt.Clients, opt.Duration, opt.Warmup)
	var floors, reals []*Result
	for round := 1; round <= max(opt.Rounds, 1); round++ {
		floor, err := measure(ctx, opt, fmt.Sprintf("floor%d", round), []string{"loadtest-floor"})
		if err != nil {
			return fmt.Errorf("floor: %w", err)
		}
		real, err := measure(ctx, opt, fmt.Sprintf("digigap%d", round), []string{"serve", "--log-level", "error"})
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		fmt.Fprintf(out, "round %d: floor %.0f/s (p99 %.1f ms), digigap %.0f/s (p99 %.1f ms, success %.1f%%, peak RSS %.0f MB), ratio %.2f\n",
			round, floor.PerSecond, ms(floor.P99), real.PerSecond, ms(real.P99), 100*real.Success, real.PeakRSSMB, real.PerSecond/floor.PerSecond)
		fmt.Fprintf(out, "  per answer: floor %.2f ms CPU, %.1f KB written; digigap %.2f ms CPU, %.1f KB written\n",
			floor.CPUMS, floor.DiskKB, real.CPUMS, real.DiskKB)
		for _, e := range real.Errors {
			fmt.Fprintf(out, "  error: %s\n", e)
		}
		floors, reals = append(floors, floor), append(reals, real)
	}
	f, r := median(floors, func(x *Result) float64 { return x.PerSecond }), median(reals, func(x *Result) float64 { return x.PerSecond })
	p99 := median(reals, func(x *Result) float64 { return ms(x.P99) })
	rss := slices.MaxFunc(reals, func(a, b *Result) int { return cmp.Compare(a.PeakRSSMB, b.PeakRSSMB) }).PeakRSSMB
	cpuF, cpuR := median(floors, func(x *Result) float64 { return x.CPUMS }), median(reals, func(x *Result) float64 { return x.CPUMS })
	diskF, diskR := median(floors, func(x *Result) float64 { return x.DiskKB }), median(reals, func(x *Result) float64 { return x.DiskKB })
	fmt.Fprintf(out, "per answer (medians): floor %.2f ms CPU, %.1f KB written; digigap %.2f ms CPU, %.1f KB written\n", cpuF, diskF, cpuR, diskR)
	fmt.Fprintf(out, "submissions_per_s=%.0f floor_per_s=%.0f ratio=%.2f p99_ms=%.1f server_peak_rss_mb=%.0f\n", r, f, r/f, p99, rss)
	return nil
}

// median is the middle value of field over results.
func median(results []*Result, field func(*Result) float64) float64 {
	v := make([]float64, len(results))
	for i, r := range results {
		v[i] = field(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// measure prepares a database, starts one server on it and attacks it.
func measure(ctx context.Context, opt Options, name string, args []string) (*Result, error) {
	dsn := filepath.Join(opt.Dir, name+".db")
	if opt.DB != "" {
		pg, drop, err := pgSchema(opt.DB, name)
		if err != nil {
			return nil, err
		}
		defer drop()
		dsn = pg
	}
	fix, err := Prepare(ctx, dsn, opt.Teams, opt.Requests)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, opt.Executable, append(args, "--db", dsn, "--addr", addr)...)
	cmd.Stderr = os.Stderr
	if opt.ProfileDir != "" {
		cmd.Env = append(os.Environ(), "DIGIGAP_CPUPROFILE="+filepath.Join(opt.ProfileDir, name+".pprof"))
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := waitHealthy(ctx, "http://"+addr+"/healthz"); err != nil {
		return nil, err
	}
	l := &load{fix: fix, url: "http://" + addr + "/api/v1/responses"}
	l.warmUp(opt.Clients, opt.Warmup)
	before := costOf(cmd.Process.Pid)
	res := l.attack(opt)
	res.CPUMS, res.DiskKB = perAnswer(before, costOf(cmd.Process.Pid), res.stored)
	res.PeakRSSMB = peakRSS(cmd.Process.Pid)
	return res, nil
}

// load sends the fixture's submissions to url, each invitation once.
type load struct {
	fix  *Fixture
	url  string
	next atomic.Int64 // index of the next invitation
}

// upTo hands out the invitations before last.
func (l *load) upTo(last int) vegeta.Targeter {
	hdr := http.Header{"Content-Type": []string{"application/json"}}
	return func(t *vegeta.Target) error {
		i := l.next.Add(1) - 1
		if int(i) >= last {
			return vegeta.ErrNoTargets
		}
		t.Method, t.URL, t.Header, t.Body = "POST", l.url, hdr, l.fix.Body(l.fix.Tokens[i])
		return nil
	}
}

// warmUp sends the same load for d, not counted: a server's first answers
// wait while it opens its database connections and fills its caches (the
// first 64 on PostgreSQL: about 130 ms), which tells nothing of its steady
// speed. The floor gets the same. It takes at most a tenth of the invitations.
func (l *load) warmUp(clients int, d time.Duration) {
	if d <= 0 {
		return
	}
	last := len(l.fix.Tokens) / 10
	for range newAttacker(clients).Attack(l.upTo(last), vegeta.Rate{Freq: 0}, d, "warm-up") {
	}
	l.next.Store(min(l.next.Load(), int64(last))) // the tries past last took no invitation
}

// attack is the measured load.
func (l *load) attack(opt Options) *Result {
	targeter := l.upTo(len(l.fix.Tokens))
	var m vegeta.Metrics
	for r := range newAttacker(opt.Clients).Attack(targeter, vegeta.Rate{Freq: 0}, opt.Duration, "submit") {
		m.Add(r)
	}
	m.Close()
	ok := float64(m.StatusCodes["201"])
	return &Result{stored: ok, PerSecond: ok / m.Duration.Seconds(), P99: m.Latencies.P99, Success: m.Success, Errors: firstErrors(m.Errors, 3)}
}

// newAttacker is a closed loop of clients, each on its own connection,
// sending its next request when the last is answered; one per attack (a
// vegeta attacker is stopped for good when its first attack ends).
func newAttacker(clients int) *vegeta.Attacker {
	return vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
}

func firstErrors(errs []string, n int) []string {
	if len(errs) > n {
		return errs[:n]
	}
	return errs
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("server at %s did not become healthy", url)
}

// peakRSS reads the process's high-water resident memory (VmHWM) in MB.
func peakRSS(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}
