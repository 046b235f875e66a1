package loadtest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// BenchmarkSubmit measures the store's submission path without HTTP: a
// decoded answer through Submit, the group-commit writer and the flushes
// it carries, with 64 submitters at once, on SQLite (synchronous=FULL) and,
// when DIGIGAP_TEST_POSTGRES is set, PostgreSQL. Run it with a fixed count,
// e.g. -benchtime 20000x: each run prepares that many invitations.
//
//	go test ./loadtest -run '^$' -bench Submit -benchtime 20000x -benchmem
func BenchmarkSubmit(b *testing.B) {
	for _, dialect := range []string{survey.SQLite, survey.Postgres} {
		b.Run(dialect, func(b *testing.B) { benchSubmit(b, dialect) })
	}
}

func benchSubmit(b *testing.B, dialect string) {
	b.Setenv("DIGIGAP_MIX_KEY_FILE", filepath.Join(b.TempDir(), "digigap.mixkey"))
	ctx := context.Background()
	dsn := surveytest.DSN(b, dialect)
	fix, err := Prepare(ctx, dsn, 200, b.N)
	if err != nil {
		b.Fatal(err)
	}
	st, err := survey.Open(ctx, dsn, storeOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var batches, slowest atomic.Int64
	var commitNanos atomic.Int64
	st.StartWriter(256, func(size int, took time.Duration) {
		batches.Add(1)
		commitNanos.Add(int64(took))
		if int64(took) > slowest.Load() {
			slowest.Store(int64(took))
		}
	})
	var next atomic.Int64
	var failed atomic.Int64
	waits := newLatencies(b.N)
	b.SetParallelism(32) // 64 submitters on 2 cores, as the load test's clients
	cpu := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			var in struct {
				CampaignID int64          `json:"campaign_id"`
				Token      string         `json:"token"`
				Answers    map[string]any `json:"answers"`
			}
			if err := json.Unmarshal(fix.Body(fix.Tokens[i]), &in); err != nil {
				b.Error(err)
				return
			}
			start := time.Now()
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: in.CampaignID, Token: in.Token, Answers: survey.Answers(in.Answers)}); err != nil {
				failed.Add(1)
			}
			waits.add(time.Since(start))
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op") // moves less than ns/op with the machine's load
	b.ReportMetric(waits.quantile(0.99).Seconds()*1000, "p99-ms")                     // a submission's wait, as the load test's p99 without HTTP
	if n := batches.Load(); n > 0 {
		b.ReportMetric(float64(b.N)/float64(n), "answers/commit")
		b.ReportMetric(float64(commitNanos.Load())/float64(n)/1e6, "ms/commit")
		b.ReportMetric(float64(slowest.Load())/1e6, "slowest-commit-ms")
	}
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d submissions failed", n, b.N)
	}
}

// latencies collects the submissions' durations from every submitter.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func newLatencies(n int) *latencies { return &latencies{d: make([]time.Duration, 0, n)} }

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// quantile is the q-quantile (0 < q < 1) of the durations added.
func (l *latencies) quantile(q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	slices.Sort(l.d)
	return l.d[min(len(l.d)-1, int(q*float64(len(l.d))))]
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
