package cli_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// A form is a command line as the README or the help prints it:
//
//	user create --email E --role hr|manager [--teams CODE,…] [--password-file F|-]   # prompts on a terminal
//
// Words in capitals, "…" and host:port are placeholders the test fills
// (see fixture.value), [ ] marks optional parts, a|b alternatives, " | "
// separates commands ("campaign list | open ID | close ID"), "#" starts a
// comment and "> FILE" redirects the output, which the test reads instead.
var (
	comment     = regexp.MustCompile(`\s+#.*$`)
	redirect    = regexp.MustCompile(`\s+>\s*\S+`)
	inlineGoRun = regexp.MustCompile("`go run \\. ([^`]+)`")
	commandWord = regexp.MustCompile(`^[a-z][a-z-]*$`)
)

// placeholders are the words of a form that stand for a value.
var placeholders = map[string]bool{"FILE": true, "ID": true, "E": true, "N": true, "F": true, "URL": true, "NAME": true,
	"YYYY-MM-DD": true, "CODE,…": true, "…": true, "host:port": true, "flags": true}

// bounded are the only changes the test makes to a printed form: the sizes
// of the bulk loader, which would otherwise take minutes.
var bounded = strings.NewReplacer("--responses 1000000", "--responses 3000", "--teams 2000", "--teams 40")

// readmeForms returns every digigap command line of ../README.md: each line
// of an indented code block that starts with "digigap " or "go run . ",
// and each inline `go run . …`, without that prefix.
func readmeForms(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var forms []string
	for _, line := range strings.Split(string(data), "\n") {
		block, ok := strings.CutPrefix(line, "    ")
		if !ok {
			continue
		}
		for _, prefix := range []string{"digigap ", "go run . "} {
			if form, ok := strings.CutPrefix(strings.TrimSpace(block), prefix); ok {
				forms = append(forms, form)
			}
		}
	}
	for _, m := range inlineGoRun.FindAllStringSubmatch(string(data), -1) {
		forms = append(forms, m[1])
	}
	return forms
}

// variants expands a form into the command lines it stands for, their
// placeholders still in: each command of a " | " list, and for each, lines
// v = 0 … 2n-1 (n the most alternatives a word offers) that leave the
// optional parts out when v is even and put them in when v is odd, taking
// alternative v mod n outside brackets and v/2 mod n inside, so that every
// part and every alternative runs at least once.
func variants(form string) [][]string {
	form = redirect.ReplaceAllString(comment.ReplaceAllString(bounded.Replace(form), ""), "")
	var out [][]string
	seen := map[string]bool{}
	cmds := strings.Split(form, " | ")
	family := strings.Fields(cmds[0])[0]
	for _, c := range cmds {
		words := strings.Fields(c)
		if words[0] != family { // "campaign list | open ID": open is a campaign command
			words = append([]string{family}, words...)
		}
		n := 1
		for _, w := range words {
			n = max(n, len(strings.Split(strings.Trim(w, "[]"), "|")))
		}
		for v := range 2 * n {
			line := pick(words, v)
			if key := strings.Join(line, " "); !seen[key] {
				seen[key] = true
				out = append(out, line)
			}
		}
	}
	return out
}

// pick is line v of a command's words (see variants).
func pick(words []string, v int) []string {
	var line []string
	optional := false
	for _, w := range words {
		optional = optional || strings.HasPrefix(w, "[")
		if !optional || v%2 == 1 {
			alts := strings.Split(strings.Trim(w, "[]"), "|")
			i := v
			if optional {
				i = v / 2
			}
			line = append(line, alts[i%len(alts)])
		}
		if strings.HasSuffix(w, "]") {
			optional = false
		}
	}
	return line
}

// commandName is the command a line runs: its leading lower-case words.
func commandName(line []string) string {
	n := 0
	for n < len(line) && commandWord.MatchString(line[n]) && !placeholders[line[n]] {
		n++
	}
	return strings.Join(line[:n], " ")
}

func TestVariants_CoverEveryPartAndAlternative(t *testing.T) {
	tests := []struct{ form, want string }{
		{"campaign list | open ID | close ID", "campaign list; campaign open ID; campaign close ID"},
		{"user list | user disable --email E", "user list; user disable --email E"},
		{"org import FILE [--dry-run]                # CSV: code,parent_code", "org import FILE; org import FILE --dry-run"},
		{"invitations generate --campaign ID [--count N] > invitations.csv", "invitations generate --campaign ID; invitations generate --campaign ID --count N"},
		{"user create --email E --role hr|manager [--teams CODE,…] [--password-file F|-]",
			"user create --email E --role hr; user create --email E --role manager --teams CODE,… --password-file F; user create --email E --role manager --teams CODE,… --password-file -"},
	}
	for _, tt := range tests {
		var got []string
		for _, line := range variants(tt.form) {
			got = append(got, strings.Join(line, " "))
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.form, strings.Join(got, "; "), tt.want)
		}
	}
}
