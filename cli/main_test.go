package cli_test

import (
	"context"
	"os"
	"testing"

	"digigap/cli"
)

// TestMain lets the test binary stand in for digigap: `digigap loadtest`
// starts os.Executable() as "serve" and "loadtest-floor", and in a test
// that executable is this binary. Test runs always start with -test flags.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && (os.Args[1] == "serve" || os.Args[1] == "loadtest-floor") {
		os.Exit(cli.Run(context.Background(), os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
	}
	os.Exit(m.Run())
}
