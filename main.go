// Command hsadmin is a keyboard-driven console for HubSpot portal administrators.
//
// main only wires things together: flag parsing and command dispatch live in
// cli*.go, everything an admin does to a portal lives in the portal package.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
