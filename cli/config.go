package cli

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"digigap/survey"
)

// EnvPrefix is the prefix of every environment variable digigap reads.
const EnvPrefix = "DIGIGAP_"

// Config holds the settings shared by the commands. Every flag has an
// environment fallback: --db is DIGIGAP_DB, --log-format is DIGIGAP_LOG_FORMAT.
type Config struct {
	DB                string
	Addr              string
	BaseURL           string
	Demo              bool
	Seed              int64
	LogFormat         string
	LogLevel          string
	SQLiteSynchronous string
	MetricsAllow      string
	BatchSize         int
	InsecureCookies   bool
	TrustedProxies    string
	SignIn            signInConfig // OIDC, local sign-in, second factor (config_signin.go)
	Timezone          string
	DBTimeout         time.Duration
	ShutdownGrace     time.Duration
	MixKeyFile        string
	TeamLinkRate      int

	location *time.Location   // Timezone, loaded by validate
	now      func() time.Time // Env.Now: nil is the real clock
}

// newFlagSet declares a command's flags; the common database flag is always there.
func newFlagSet(name string, env *Env, cfg *Config) *flag.FlagSet {
	fs := flag.NewFlagSet("digigap "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse prints one line itself
	fs.Usage = func() {}
	fs.StringVar(&cfg.DB, "db", "digigap.db", "SQLite file path, or a postgres:// URL")
	fs.StringVar(&cfg.SQLiteSynchronous, "sqlite-synchronous", "full", "SQLite durability: full (every acknowledged answer survives a power cut) or normal (faster; the last moments may be lost)")
	fs.StringVar(&cfg.MixKeyFile, "mix-key-file", "", "file holding the key that seals answers waiting to be mixed, kept out of the database (default: <db file>.mixkey for SQLite, "+survey.DefaultPostgresMixKeyFile+" for PostgreSQL; every instance must share it)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&cfg.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&cfg.Timezone, "timezone", "Europe/Paris", "the organisation's time zone (IANA name): it decides a response's day, the days campaigns open and close, the retention purge and coverage months")
	cfg.now = env.Now
	return fs
}

// parse reads flags, before or after the positional arguments ("--" ends
// them), then fills every flag not given on the command line from its
// DIGIGAP_ environment variable, and validates the result. -h prints the
// command's usage.
func parse(fs *flag.FlagSet, args []string, env *Env, cfg *Config) error {
	cmd := lookupCommand(strings.TrimPrefix(fs.Name(), "digigap "))
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if err == flag.ErrHelp {
			printUsage(env.Stdout, fs, cmd)
			return err
		}
		fmt.Fprintf(env.Stderr, "%s: %v (run '%s -h' for its flags)\n", fs.Name(), err, fs.Name())
		return errUsage
	}
	if cmd != nil && cmd.positional() == 0 && fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "%s: unexpected argument %q (run '%s -h' for its usage)\n", fs.Name(), fs.Arg(0), fs.Name())
		return errUsage
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		name := EnvPrefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := env.Getenv(name); v != "" && !given[f.Name] && bad == nil {
			if err := fs.Set(f.Name, v); err != nil {
				bad = fmt.Errorf("%s=%q: %v", name, v, err)
			}
		}
	})
	if bad != nil {
		return bad
	}
	return cfg.validate()
}

func (c *Config) validate() error {
	if c.TeamLinkRate < 0 {
		return fmt.Errorf("--team-link-rate must be 0 or more, not %d", c.TeamLinkRate)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if c.SQLiteSynchronous != "full" && c.SQLiteSynchronous != "normal" {
		return fmt.Errorf("--sqlite-synchronous must be full or normal, not %q", c.SQLiteSynchronous)
	}
	if c.BaseURL != "" {
		u, err := survey.NormalizeBaseURL(c.BaseURL)
		if err != nil {
			return fmt.Errorf("--base-url: %v", err)
		}
		c.BaseURL = u
	}
	if c.DBTimeout < 0 || c.ShutdownGrace < 0 {
		return fmt.Errorf("--db-timeout and --shutdown-grace must not be negative")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("--log-level must be debug, info, warn or error, not %q", c.LogLevel)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" || c.Timezone == "Local" {
		return fmt.Errorf("--timezone must be an IANA time zone such as Europe/Paris or UTC, not %q", c.Timezone)
	}
	c.location = loc
	return nil
}

// logger builds the structured logger the config asks for.
func (c *Config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
