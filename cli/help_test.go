package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runHelp(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestUsage_ListsEveryCommandWithItsArguments(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}} {
		code, out, _ := runHelp(args...)
		if code != 0 {
			t.Errorf("%q: exit %d", args, code)
		}
		for _, c := range commands() {
			if !strings.Contains(out, "\n  "+c.form()+" ") && !strings.Contains(out, "\n  "+c.form()+"\n") {
				t.Errorf("%q does not list %q", args, c.form())
			}
		}
	}
}

func TestHelpCommand_IsTheCommandsUsage(t *testing.T) {
	for _, c := range commands() {
		name := strings.Fields(c.name)
		code, help, _ := runHelp(append([]string{"help"}, name...)...)
		_, dashH, _ := runHelp(append(name, "-h")...)
		if code != 0 || help != dashH || !strings.HasPrefix(help, "Usage: digigap "+c.form()+" [flags]\n") || !strings.Contains(help, "  --db string\n") {
			t.Errorf("help %s: exit %d\n%s\nwant the same as %s -h:\n%s", c.name, code, help, c.name, dashH)
		}
	}
}

func TestRun_FamilyWithoutSubcommandListsIt(t *testing.T) {
	code, out, stderr := runHelp("campaign")
	if code != 2 || out != "" || !strings.Contains(stderr, "campaign open ID") {
		t.Errorf("campaign: exit %d, stdout %q, stderr %q; want exit 2 listing the campaign commands", code, out, stderr)
	}
	code, out, _ = runHelp("help", "campaign")
	if code != 0 || !strings.Contains(out, "campaign close ID") || strings.Contains(out, "user list") {
		t.Errorf("help campaign: exit %d\n%s", code, out)
	}
	if code, _, stderr := runHelp("help", "frobnicate"); code != 2 || !strings.Contains(stderr, `"frobnicate"`) {
		t.Errorf("help frobnicate: exit %d, %q", code, stderr)
	}
}
