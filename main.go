// Command hsadmin is a keyboard-driven console for HubSpot portal administrators.
//
// main only wires things together: flag parsing and command dispatch live in
// cli*.go, everything an admin does to a portal lives in the portal package.
package main

import (
	"context"
	"os"
)

func main() { os.Exit(runProcess(os.Args[1:])) }

// runProcess is the whole process bar its exit: the first Ctrl+C stops
// after the batch in flight, the second exits at once.
func runProcess(args []string) int {
	ctx, stop := onInterrupts(context.Background(), os.Stderr, os.Exit)
	defer stop()
	return run(ctx, args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
}
