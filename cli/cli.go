// Package cli is digigap's command line: serve, demo data, imports,
// campaigns and maintenance commands. It lives apart from main.go so that
// tests run every command in-process, with their own arguments and output.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"digigap/survey"
)

// Version is set at build time with -ldflags "-X digigap/cli.Version=…".
var Version = "dev"

// command is one subcommand; name may hold two words ("org import").
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, receives the address serve listens on (tests use it).
	Ready func(addr string)
	// Now, when set, replaces the clock of the store (tests run a command
	// on a chosen day with it).
	Now func() time.Time
}

func commands() []command {
	return []command{
		{"serve", "start the web server", runServe},
		{"demo", "fill a database with the demo organisation and two waves of answers", runDemo},
		{"org import", "replace the org tree from a CSV file (code,parent_code,name,headcount)", runOrgImport},
		{"coverage import", "replace months of client contact coverage from a CSV file (" + strings.Join(survey.CoverageHeader, ",") + ")", runCoverageImport},
		{"questionnaire load", "store a new questionnaire version from a YAML or JSON file", runQuestionnaireLoad},
		{"questionnaire list", "list the stored questionnaire versions", runQuestionnaireList},
		{"campaign create", "create a draft campaign", runCampaignCreate},
		{"campaign list", "list campaigns", runCampaignList},
		{"campaign open", "open a draft campaign", runCampaignOpen},
		{"campaign close", "close an open campaign", runCampaignClose},
		{"invitations generate", "write new personal invitations of a campaign as CSV (team_code,team_name,link)", runInvitationsGenerate},
		{"user create", "create an HR or manager account (password from a prompt or --password-file)", runUserCreate},
		{"user list", "list the staff accounts", runUserList},
		{"user disable", "disable an account and end its sessions", runUserDisable},
		{"user password", "set a new password for an account and end its sessions", runUserPassword},
		{"purge", "delete raw responses past their campaign's retention period (aggregates stay)", runPurge},
		{"verify", "recount every aggregate counter from the raw responses; exit 1 on any difference", runVerify},
		{"healthcheck", "probe a running server (for container health checks)", runHealthcheck},
		{"backup", "copy a live SQLite database to a file, consistently", runBackup},
		{"loadtest", "measure submissions per second against a bare floor server, on loopback", runLoadtest},
		{"loadtest-floor", "(used by loadtest) the bare group-commit server", runLoadtestFloor},
	}
}

// errUsage marks a command-line mistake: exit status 2.
var errUsage = errors.New("usage")

// Run executes the command line args (without the program name) and
// returns the process exit status; errors are one clear line on stderr.
func Run(ctx context.Context, args []string, env *Env) int {
	cmd, rest := findCommand(args)
	if cmd == nil {
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			usage(env.Stdout)
			return 0
		}
		fmt.Fprintf(env.Stderr, "digigap: unknown command %q (run 'digigap help')\n", strings.Join(args, " "))
		return 2
	}
	err := cmd.run(ctx, env, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(env.Stderr, "digigap %s: %s\n", cmd.name, oneLine(err))
	return 1
}

func findCommand(args []string) (*command, []string) {
	cmds := commands()
	for i := range cmds {
		words := strings.Fields(cmds[i].name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == cmds[i].name {
			return &cmds[i], args[len(words):]
		}
	}
	return nil, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "digigap measures how far staff's professional use of digital channels lags behind their private use.")
	fmt.Fprintln(w, "\nUsage: digigap COMMAND [flags]   (digigap COMMAND -h for its flags)\n\nCommands:")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-22s %s\n", c.name, c.summary)
	}
}

// oneLine renders an error as one line, with field details when a domain
// error lists several problems.
func oneLine(err error) string {
	var de *survey.Error
	if errors.As(err, &de) && len(de.Details) > 1 {
		parts := make([]string, len(de.Details))
		for i, d := range de.Details {
			parts[i] = d.Message
		}
		return strings.Join(parts, "; ")
	}
	if errors.As(err, &de) {
		return de.Message
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
