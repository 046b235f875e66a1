package cli_test

import (
	"bytes"
	"cmp"
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"digigap/cli"
)

// TestReadmeAndHelpForms_RunAsPrinted runs every command line the README
// shows and every form `digigap help` and each `COMMAND -h` print, exactly
// as printed but for the placeholders, in-process on a database of their
// own, and checks exit status 0 and the effect. A README or help line that
// does not work fails here.
func TestReadmeAndHelpForms_RunAsPrinted(t *testing.T) {
	fx := newFixture(t)
	forms := append(readmeForms(t), helpForms(t)...)
	seen := map[string]bool{}
	for _, form := range forms {
		for _, line := range variants(form) {
			key := strings.Join(line, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			t.Run(key, func(t *testing.T) {
				r := fx.run(t, line)
				if r.code != 0 {
					t.Fatalf("%q: exit %d\nstdout: %s\nstderr: %s", r.args, r.code, r.stdout, r.stderr)
				}
				check, ok := effects[r.cmd]
				if !ok {
					t.Fatalf("no expected effect for %q: add one to effects", r.cmd)
				}
				check(t, fx, r)
			})
		}
	}
	for _, want := range []string{"serve --demo", "org import FILE --dry-run", "questionnaire load FILE --current", "org import FILE flags"} {
		if !seen[want] { // the README and the help were read
			t.Errorf("%q was not among the lines run", want)
		}
	}
}

// helpForms returns the forms `digigap help` lists and the usage line of
// each `digigap COMMAND -h`, which must equal `digigap help COMMAND`.
func helpForms(t *testing.T) []string {
	t.Helper()
	code, out, stderr := runCLI(t, nil, "help")
	if code != 0 {
		t.Fatalf("help: exit %d %s", code, stderr)
	}
	_, commands, ok := strings.Cut(out, "\nCommands:\n")
	if !ok {
		t.Fatalf("help has no Commands section:\n%s", out)
	}
	var forms []string
	for _, line := range strings.Split(commands, "\n") {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			continue // a summary alone on its line, or the end
		}
		form, _, _ := strings.Cut(strings.TrimSpace(line), "  ")
		forms = append(forms, form)
		name := commandName(strings.Fields(form))
		code, usage, stderr := runCLI(t, nil, append(strings.Fields(name), "-h")...)
		if code != 0 {
			t.Fatalf("%s -h: exit %d %s", name, code, stderr)
		}
		if _, same, _ := runCLI(t, nil, append([]string{"help"}, strings.Fields(name)...)...); same != usage {
			t.Errorf("help %s differs from %s -h:\n%s\n%s", name, name, same, usage)
		}
		first, _, _ := strings.Cut(usage, "\n")
		usageForm, ok := strings.CutPrefix(first, "Usage: digigap ")
		if !ok || !strings.HasPrefix(usageForm, form) {
			t.Errorf("%s -h starts %q, want \"Usage: digigap %s …\"", name, first, form)
		}
		forms = append(forms, usageForm)
	}
	if len(forms) == 0 {
		t.Fatalf("no command in the help:\n%s", out)
	}
	return forms
}

// run is one command line run by the test.
type run struct {
	form           string   // as printed, e.g. "org import FILE --dry-run"
	cmd            string   // "org import"
	args           []string // as run, placeholders filled
	dir, db        string   // its own directory and database (DIGIGAP_DB)
	code           int
	stdout, stderr string
	probe          int // long-running commands: the status of a probe while up
}

// has reports whether the line gives a flag; flag returns its value.
func (r *run) has(name string) bool { return slices.Contains(r.args, name) }
func (r *run) flag(name string) string {
	if i := slices.Index(r.args, name); i >= 0 && i+1 < len(r.args) {
		return r.args[i+1]
	}
	return ""
}

// run fills the placeholders of line and runs it on a copy of the fixture
// database (an empty one for serve, demo and loadtest-floor, which fill
// their own); serve and loadtest-floor are probed once up, then stopped.
func (fx *fixture) run(t *testing.T, line []string) *run {
	r := &run{form: strings.Join(line, " "), cmd: commandName(line), dir: t.TempDir()}
	r.db = fx.database(t, r)
	for i, w := range line {
		switch {
		case !placeholders[w]:
			r.args = append(r.args, w)
		case i > 0 && strings.HasPrefix(line[i-1], "-"):
			r.args = append(r.args, fx.value(t, r, line[i-1], w)...)
		default:
			r.args = append(r.args, fx.value(t, r, "", w)...)
		}
	}
	env := map[string]string{"DIGIGAP_DB": r.db, "DIGIGAP_ADDR": "127.0.0.1:0", "DIGIGAP_BASE_URL": baseURL, "DIGIGAP_URL": fx.healthURL}
	if r.cmd == "loadtest" { // bounds for what the line leaves to defaults: a few hundred requests each
		env["DIGIGAP_REQUESTS"], env["DIGIGAP_ROUNDS"], env["DIGIGAP_TEAMS"], env["DIGIGAP_CLIENTS"] = "200", "1", "20", "4"
	}
	var stdout, stderr bytes.Buffer
	cliEnv := &cli.Env{Stdin: strings.NewReader(password + "\n"), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Now: readmeNow}
	if r.cmd == "serve" || r.cmd == "loadtest-floor" {
		r.code, r.probe = runUntilProbed(t, r.args, cliEnv, map[string]string{"serve": "/readyz"}[r.cmd])
	} else {
		r.code = cli.Run(context.Background(), r.args, cliEnv)
	}
	r.stdout, r.stderr = stdout.String(), stderr.String()
	return r
}

// runUntilProbed runs a server command until it is ready, sends one GET to
// path (default /healthz), stops it and returns its exit status and the
// probe's status.
func runUntilProbed(t *testing.T, args []string, env *cli.Env, path string) (code, probe int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready, done := make(chan string, 1), make(chan int, 1)
	env.Ready = func(addr string) { ready <- addr }
	go func() { done <- cli.Run(ctx, args, env) }()
	select {
	case addr := <-ready:
		probe = get(t, "http://"+addr+cmp.Or(path, "/healthz"))
	case code := <-done:
		return code, 0
	case <-time.After(3 * time.Minute):
		t.Fatalf("%q did not start", args)
	}
	cancel()
	select {
	case code = <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%q did not stop", args)
	}
	return code, probe
}

func get(t *testing.T, url string) int {
	resp, err := (&http.Client{Timeout: time.Minute}).Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// copyFile copies a closed SQLite file.
func copyFile(t *testing.T, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
