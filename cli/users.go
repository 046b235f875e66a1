package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"digigap/auth"
	"digigap/survey"
)

// runUserCreate creates an account; the first HR account is made this way.
// The password comes from a prompt, a file or standard input, never from a
// flag (flags show in process lists and shell histories).
func runUserCreate(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	var in auth.UserInput
	fs := newFlagSet("user create", env, &cfg)
	fs.StringVar(&in.Email, "email", "", "the e-mail address the person signs in with")
	fs.StringVar(&in.Role, "role", "", "hr (everything) or manager (the subtrees of --teams)")
	teams := fs.String("teams", "", "a manager's team codes, comma-separated; each covers its subtree")
	pwFile := fs.String("password-file", "", "read the password from this file's first line (- for standard input); default: prompt")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	in.TeamCodes = splitCodes(*teams)
	pw, err := readPassword(env, *pwFile)
	if err != nil {
		return err
	}
	in.Password = pw
	return withAccounts(ctx, &cfg, func(acc *auth.Service, _ *survey.Store) error {
		u, err := acc.CreateUser(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created %s account %d for %s\n", u.Role, u.ID, u.Email)
		return nil
	})
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("user list", env, &cfg)
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	return withAccounts(ctx, &cfg, func(acc *auth.Service, st *survey.Store) error {
		us, err := acc.Users(ctx)
		if err != nil {
			return err
		}
		tree, err := st.Tree(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tTEAMS\tDISABLED")
		for _, u := range us {
			var codes []string
			for _, id := range u.TeamIDs {
				if t := tree.Team(id); t != nil {
					codes = append(codes, t.Code)
				}
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\n", u.ID, u.Email, u.Role, strings.Join(codes, ","), u.Disabled)
		}
		return tw.Flush()
	})
}

// runUserDisable disables an account and ends its sessions at once.
func runUserDisable(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("user disable", env, &cfg)
	email := fs.String("email", "", "the account's e-mail address")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	return withAccounts(ctx, &cfg, func(acc *auth.Service, _ *survey.Store) error {
		u, err := acc.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		if _, err := acc.SetDisabled(ctx, u.ID, true); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "disabled %s; its sessions have ended\n", u.Email)
		return nil
	})
}

// runUserPassword sets a new password, e.g. for an HR user locked out; the
// owner must choose their own at the next sign-in. With --link it prints a
// one-time set-password link instead, for the owner to choose it directly.
func runUserPassword(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("user password", env, &cfg)
	baseURLFlag(fs, &cfg)
	email := fs.String("email", "", "the account's e-mail address")
	pwFile := fs.String("password-file", "", "read the password from this file's first line (- for standard input); default: prompt")
	link := fs.Bool("link", false, "print a one-time set-password link (valid 72 hours) instead of setting a password")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	if *link && *pwFile != "" {
		fmt.Fprintln(env.Stderr, "digigap user password: give --password-file or --link, not both")
		return errUsage
	}
	if *link {
		return printPasswordLink(ctx, env, &cfg, *email)
	}
	pw, err := readPassword(env, *pwFile)
	if err != nil {
		return err
	}
	return withAccounts(ctx, &cfg, func(acc *auth.Service, _ *survey.Store) error {
		u, err := acc.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		if err := acc.ResetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %s changed; its sessions and API tokens have ended; a new one will be asked for at sign-in\n", u.Email)
		return nil
	})
}

func printPasswordLink(ctx context.Context, env *Env, cfg *Config, email string) error {
	if cfg.BaseURL == "" {
		return survey.FieldError(survey.EINVALID, "base-url", "give the site's public address (--base-url or DIGIGAP_BASE_URL) to print a link")
	}
	return withAccounts(ctx, cfg, func(acc *auth.Service, st *survey.Store) error {
		u, err := acc.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		token, expires, err := acc.CreatePasswordLink(ctx, u.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s/set-password/%s\n", cfg.BaseURL, token)
		fmt.Fprintf(env.Stderr, "hand this link to %s: it works once, until %s\n", u.Email, expires.In(st.Location()).Format("2006-01-02 15:04 MST"))
		return nil
	})
}

func withAccounts(ctx context.Context, cfg *Config, fn func(*auth.Service, *survey.Store) error) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(auth.New(st), st)
}

func splitCodes(s string) []string {
	var out []string
	for _, code := range strings.Split(s, ",") {
		if code = strings.TrimSpace(code); code != "" {
			out = append(out, code)
		}
	}
	return out
}

// readPassword reads a password from a file ("-": standard input), else
// from a prompt without echo when standard input is a terminal, else
// from the first line of standard input.
func readPassword(env *Env, file string) (string, error) {
	switch {
	case file == "-":
		return firstLine(env.Stdin)
	case file != "":
		f, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		return firstLine(f)
	}
	f, ok := env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return firstLine(env.Stdin)
	}
	fmt.Fprint(env.Stderr, "Password: ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprint(env.Stderr, "\nPassword again: ")
	b, err2 := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(env.Stderr)
	if err := errors.Join(err, err2); err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the two passwords differ")
	}
	return string(a), nil
}

func firstLine(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("no password given: use --password-file or a terminal")
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given: use --password-file or a terminal")
	}
	return line, nil
}
