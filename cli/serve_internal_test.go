package cli

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestInsecureCookies_OnlyOnLoopbackWithoutProxyUnlessSaid(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want bool
	}{
		{[]string{"--addr", "localhost:8080"}, nil, true},
		{[]string{"--addr", "127.0.0.1:8080"}, nil, true},
		{[]string{"--addr", "[::1]:8080"}, nil, true},
		{[]string{"--addr", ":8080"}, nil, false},
		{[]string{"--addr", "10.1.2.3:8080"}, nil, false},
		{[]string{"--addr", "127.0.0.1:8080", "--trusted-proxies", "127.0.0.1"}, nil, false},
		{[]string{"--addr", "127.0.0.1:8080", "--insecure-cookies=false"}, nil, false},
		{[]string{"--addr", ":8080", "--insecure-cookies"}, nil, true},
		{[]string{"--addr", ":8080"}, map[string]string{"DIGIGAP_INSECURE_COOKIES": "true"}, true},
	}
	for _, tt := range tests {
		var cfg Config
		env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return tt.env[k] }}
		fs := newFlagSet("serve", env, &cfg)
		fs.StringVar(&cfg.Addr, "addr", "localhost:8080", "")
		fs.BoolVar(&cfg.InsecureCookies, "insecure-cookies", false, "")
		fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "")
		if err := parse(fs, tt.args, env, &cfg); err != nil {
			t.Fatal(err)
		}
		if got := insecureCookies(fs, &cfg); got != tt.want {
			t.Errorf("%v %v: insecure = %v, want %v", tt.args, tt.env, got, tt.want)
		}
	}
}

func TestMaintainEvery_RunsAtStartThenOnTheTickerAndStops(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	var runs atomic.Int32
	st2 := st.WithClock(func() time.Time { runs.Add(1); return time.Now() })
	done := make(chan struct{})
	go func() {
		maintainEvery(ctx, 5*time.Millisecond, time.Hour, st2, auth.New(st2), slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	deadline := time.After(5 * time.Second)
	for runs.Load() < 6 { // each run reads the clock at least twice
		select {
		case <-deadline:
			t.Fatalf("only %d clock reads", runs.Load())
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("maintainEvery did not stop on cancel")
	}
}

// A wave that closes while the server runs gets its disclosure decision
// from maintainEvery within its decide interval, not from its first reader
// nor the next day's housekeeping.
func TestMaintainEvery_DecidesAWaveSoonAfterItCloses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var now atomic.Int64
	now.Store(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC).Unix())
	st := surveytest.MustOpenDB(t).WithClock(func() time.Time { return time.Unix(now.Load(), 0) })
	rows, err := survey.ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount\nB,,Banque,10\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague", QuestionnaireID: q.ID, TeamCodes: []string{"B"}, OpensOn: "2026-06-01", ClosesOn: "2026-06-10", MinGroup: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	team, _ := st.TeamByCode(ctx, "B")
	for i := range 6 {
		if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": i % 5, "email.work": 1}}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) (n int64) {
		st.DB().Raw(q).Scan(&n)
		return n
	}
	// An old login failure, which the first housekeeping run deletes last:
	// once it is gone, only the decide ticker can decide the wave.
	st.DB().Exec("INSERT INTO login_failures (pair_hash, at_unix) VALUES ('x', 0)")
	go maintainEvery(ctx, time.Hour, 5*time.Millisecond, st, auth.New(st), slog.New(slog.NewTextHandler(io.Discard, nil)))
	waitFor(t, "the first housekeeping run", func() bool { return count("SELECT COUNT(*) FROM login_failures") == 0 })
	if n := count("SELECT COUNT(*) FROM disclosure_decisions"); n != 0 {
		t.Fatalf("%d decisions while the wave is open", n)
	}
	now.Store(time.Date(2026, 6, 11, 10, 0, 0, 0, time.UTC).Unix()) // the day after closing
	waitFor(t, "the closed wave's decision", func() bool {
		return count("SELECT COUNT(*) FROM disclosure_decisions WHERE basis LIKE 'closed:%'") == 1
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !ok() {
		select {
		case <-deadline:
			t.Fatalf("%s: not after 30 s", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
