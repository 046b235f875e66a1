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
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"digigap/survey"
)

// Version is set at build time with -ldflags "-X digigap/cli.Version=…".
var Version = "dev"

// command is one subcommand; name may hold two words ("org import").
// args is what follows the name on the command line besides optional
// flags: positional arguments (FILE, ID) first, then required flags, in
// the notation of the README (placeholders in capitals, [optional], a|b).
type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, receives the address serve or loadtest-floor
	// listens on (tests use it).
	Ready func(addr string)
	// Now, when set, replaces the clock of the store (tests run a command
	// on a chosen day with it).
	Now func() time.Time
}

func commands() []command {
	return []command{
		{"serve", "", "start the web server", runServe},
		{"demo", "", "fill a database with the demo organisation and two waves of answers", runDemo},
		{"org import", "FILE", "replace the org tree from a CSV file (code,parent_code,name,headcount)", runOrgImport},
		{"coverage import", "FILE", "replace months of client contact coverage from a CSV file (" + strings.Join(survey.CoverageHeader, ",") + ")", runCoverageImport},
		{"questionnaire load", "FILE", "store a new questionnaire version from a YAML or JSON file", runQuestionnaireLoad},
		{"questionnaire list", "", "list the stored questionnaire versions", runQuestionnaireList},
		{"campaign create", "--name NAME --teams CODE,… --opens YYYY-MM-DD --closes YYYY-MM-DD", "create a draft campaign", runCampaignCreate},
		{"campaign list", "", "list campaigns", runCampaignList},
		{"campaign open", "ID", "open a draft campaign", runCampaignOpen},
		{"campaign close", "ID", "close an open campaign", runCampaignClose},
		{"invitations generate", "--campaign ID", "write new personal invitations of a campaign as CSV (team_code,team_name,link)", runInvitationsGenerate},
		{"user create", "--email E --role hr|manager [--teams CODE,…]", "create an HR or manager account (password from a prompt or --password-file)", runUserCreate},
		{"user list", "", "list the staff accounts", runUserList},
		{"user disable", "--email E", "disable an account and end its sessions", runUserDisable},
		{"user password", "--email E", "set a new password for an account and end its sessions", runUserPassword},
		{"purge", "", "delete raw responses past their campaign's retention period (aggregates stay)", runPurge},
		{"verify", "", "recount every aggregate counter from the raw responses; exit 1 on any difference", runVerify},
		{"healthcheck", "", "probe a running server (for container health checks)", runHealthcheck},
		{"backup", "--to FILE", "copy a live SQLite database to a file, consistently", runBackup},
		{"loadtest", "", "measure submissions per second against a bare floor server, on loopback", runLoadtest},
		{"loadtest-floor", "", "(used by loadtest) the bare group-commit server", runLoadtestFloor},
	}
}

// form is how the command is typed: its name, then its arguments.
func (c *command) form() string {
	return strings.TrimSpace(c.name + " " + c.args)
}

// positional is how many positional arguments the command takes: the
// words of args before the first flag or optional part.
func (c *command) positional() int {
	n := 0
	for _, w := range strings.Fields(c.args) {
		if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "[") {
			break
		}
		n++
	}
	return n
}

// errUsage marks a command-line mistake: exit status 2.
var errUsage = errors.New("usage")

// Run executes the command line args (without the program name) and
// returns the process exit status; errors are one clear line on stderr.
// "help", "-h" and "--help" print the commands; "help COMMAND" prints one
// command's usage, as "COMMAND -h" does.
func Run(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || (args[0] == "help" && len(args) == 1) {
		usage(env.Stdout)
		return 0
	}
	if args[0] == "help" {
		args = append(slices.Clone(args[1:]), "-h")
	}
	cmd, rest := findCommand(args)
	if cmd == nil {
		return unknownCommand(args, env)
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

// lookupCommand finds a command by its full name.
func lookupCommand(name string) *command {
	cmd, rest := findCommand(strings.Fields(name))
	if cmd == nil || len(rest) > 0 {
		return nil
	}
	return cmd
}

// unknownCommand explains a command line that names no command: the
// commands of a family ("digigap campaign") when the first word is one,
// on stdout with status 0 when help was asked for.
func unknownCommand(args []string, env *Env) int {
	var family []command
	for _, c := range commands() {
		if strings.Fields(c.name)[0] == args[0] {
			family = append(family, c)
		}
	}
	if len(family) == 0 {
		fmt.Fprintf(env.Stderr, "digigap: unknown command %q (run 'digigap help')\n", commandWords(args))
		return 2
	}
	w, code := env.Stderr, 2
	if slices.ContainsFunc(args[1:], func(a string) bool { return a == "-h" || a == "--help" || a == "-help" }) {
		w, code = env.Stdout, 0
	} else {
		fmt.Fprintf(w, "digigap: unknown command %q; the %s commands are:\n", commandWords(args), args[0])
	}
	listCommands(w, family)
	return code
}

// commandWords is the start of a command line, up to its first flag.
func commandWords(args []string) string {
	i := slices.IndexFunc(args, func(a string) bool { return strings.HasPrefix(a, "-") })
	if i < 0 {
		i = len(args)
	}
	return strings.Join(args[:i], " ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "digigap measures how far staff's professional use of digital channels lags behind their private use.")
	fmt.Fprintln(w, "\nUsage: digigap COMMAND [flags]   (digigap help COMMAND, or digigap COMMAND -h, for its flags)")
	fmt.Fprintln(w, "Flags may come before or after the arguments; -- ends the flags. Each flag falls back on")
	fmt.Fprintln(w, "the environment variable of its name (--db: DIGIGAP_DB); the command line wins.")
	fmt.Fprintln(w, "\nCommands:")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	listCommands(w, cmds)
}

// listCommands writes one command per line, its form then its summary;
// a long form puts the summary on the next line.
func listCommands(w io.Writer, cmds []command) {
	const width = 34
	for _, c := range cmds {
		if f := c.form(); utf8.RuneCountInString(f) < width {
			fmt.Fprintf(w, "  %-*s %s\n", width, f, c.summary)
		} else {
			fmt.Fprintf(w, "  %s\n  %-*s %s\n", f, width, "", c.summary)
		}
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
