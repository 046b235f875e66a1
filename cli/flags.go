package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// flagsFirst moves the flags of args (with the values of those that take
// one) before the positional arguments and a "--", so that the standard
// flag package, which stops at the first non-flag, reads
// "org import FILE --dry-run" as "org import --dry-run -- FILE".
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case len(a) < 2 || a[0] != '-':
			positional = append(positional, a) // "-" is a positional: standard input
		default:
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return append(append(flags, "--"), positional...)
}

// takesValue reports whether the flag argument a ("-x", "--x") is a
// defined non-boolean flag without "=value": its value is the next argument.
func takesValue(fs *flag.FlagSet, a string) bool {
	name := strings.TrimPrefix(a[1:], "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// printUsage writes a command's -h: its form, what it does, its flags.
func printUsage(w io.Writer, fs *flag.FlagSet, cmd *command) {
	if cmd != nil {
		fmt.Fprintf(w, "Usage: digigap %s [flags]\n\n%s.\n", cmd.form(), upperFirst(cmd.summary))
	} else {
		fmt.Fprintf(w, "Usage: %s [flags]\n", fs.Name())
	}
	fmt.Fprintf(w, "\nFlags (before or after the arguments; each falls back on its environment variable, --log-level on %sLOG_LEVEL):\n", EnvPrefix)
	fs.VisitAll(func(f *flag.Flag) {
		typ, help := flag.UnquoteUsage(f)
		if typ != "" {
			typ = " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			help += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  --%s%s\n        %s\n", f.Name, typ, help)
	})
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
