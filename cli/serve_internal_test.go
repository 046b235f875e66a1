package cli

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"digigap/auth"
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
		maintainEvery(ctx, 5*time.Millisecond, st2, auth.New(st2), slog.New(slog.NewTextHandler(io.Discard, nil)))
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
