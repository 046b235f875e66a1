package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestParse_FlagsBeforeOrAfterArgumentsAndDashDashEndsThem(t *testing.T) {
	tests := []struct {
		args    []string
		env     map[string]string
		db      string
		dry     bool
		pwFile  string
		wantPos []string
	}{
		{args: []string{"org.csv", "--dry-run"}, db: "digigap.db", dry: true, wantPos: []string{"org.csv"}},
		{args: []string{"--dry-run", "org.csv"}, db: "digigap.db", dry: true, wantPos: []string{"org.csv"}},
		{args: []string{"org.csv", "--db", "x.db"}, db: "x.db", wantPos: []string{"org.csv"}},
		{args: []string{"org.csv", "-db=x.db", "-dry-run"}, db: "x.db", dry: true, wantPos: []string{"org.csv"}},
		{args: []string{"--password-file", "-", "-"}, db: "digigap.db", pwFile: "-", wantPos: []string{"-"}},
		{args: []string{"org.csv", "--", "--dry-run"}, db: "digigap.db", wantPos: []string{"org.csv", "--dry-run"}},
		{args: []string{"--db", "--", "org.csv"}, db: "--", wantPos: []string{"org.csv"}},
		{args: []string{"org.csv", "--dry-run=false"}, db: "digigap.db", wantPos: []string{"org.csv"}},
		// The command line wins over the environment, wherever the flag stands.
		{args: []string{"org.csv", "--db", "cli.db"}, env: map[string]string{"DIGIGAP_DB": "env.db"}, db: "cli.db", wantPos: []string{"org.csv"}},
		{args: []string{"org.csv"}, env: map[string]string{"DIGIGAP_DB": "env.db", "DIGIGAP_DRY_RUN": "true"}, db: "env.db", dry: true, wantPos: []string{"org.csv"}},
	}
	for _, tt := range tests {
		var cfg Config
		env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return tt.env[k] }}
		fs := newFlagSet("org import", env, &cfg)
		dry := fs.Bool("dry-run", false, "")
		pwFile := fs.String("password-file", "", "")
		if err := parse(fs, tt.args, env, &cfg); err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if cfg.DB != tt.db || *dry != tt.dry || *pwFile != tt.pwFile || !slices.Equal(fs.Args(), tt.wantPos) {
			t.Errorf("%q %v: db %q dry %v password-file %q args %q; want %q %v %q %q",
				tt.args, tt.env, cfg.DB, *dry, *pwFile, fs.Args(), tt.db, tt.dry, tt.pwFile, tt.wantPos)
		}
	}
}

func TestParse_UnknownFlagAfterArgumentIsUsageError(t *testing.T) {
	var cfg Config
	var stderr bytes.Buffer
	env := &Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	err := parse(newFlagSet("org import", env, &cfg), []string{"org.csv", "--dry-rnu"}, env, &cfg)
	if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), "dry-rnu") {
		t.Errorf("err %v, stderr %q; want a usage error naming the flag", err, stderr.String())
	}
}

func TestParse_ArgumentToCommandWithoutArgumentsIsUsageError(t *testing.T) {
	var cfg Config
	var stderr bytes.Buffer
	env := &Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	err := parse(newFlagSet("verify", env, &cfg), []string{"--db", "x.db", "extra"}, env, &cfg)
	if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), `"extra"`) {
		t.Errorf("err %v, stderr %q; want a usage error naming the argument", err, stderr.String())
	}
}

func TestParse_HelpAfterArgumentsPrintsUsageWithArguments(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"org.csv", "--help"}} {
		var cfg Config
		var stdout bytes.Buffer
		env := &Env{Stdout: &stdout, Stderr: io.Discard, Getenv: func(string) string { return "" }}
		fs := newFlagSet("org import", env, &cfg)
		fs.Bool("dry-run", false, "only show what would change")
		if err := parse(fs, args, env, &cfg); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%q: err %v, want flag.ErrHelp", args, err)
		}
		out := stdout.String()
		if !strings.HasPrefix(out, "Usage: digigap org import FILE [flags]\n") || !strings.Contains(out, "  --dry-run\n") || !strings.Contains(out, "  --db string\n") {
			t.Errorf("%q: usage is\n%s", args, out)
		}
	}
}
