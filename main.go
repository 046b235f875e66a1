// Command digigap measures how far staff's professional use of digital
// channels lags behind their private use, team by team, wave after wave.
// main only wires: the commands live in package cli.
package main

import (
	"context"
	"os"
	_ "time/tzdata" // the zone database inside the binary: --timezone works in a bare container

	"digigap/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	return cli.Run(ctx, args, &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
}
