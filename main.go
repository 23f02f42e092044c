// Command hsadmin is a keyboard-driven console for HubSpot portal administrators.
//
// main only wires signals and the exit code: the commands live in cli/,
// everything an admin does to a portal lives in the portal package.
package main

import (
	"context"
	"os"

	"github.com/hsadmin/hsadmin/cli"
)

// version is set at build time with -ldflags "-X main.version=..."; empty,
// it comes from the module's build information.
var version = ""

func main() {
	// The first Ctrl+C stops a job after the batch in flight; the second
	// exits at once (cli.OnInterrupts says why that is safe).
	ctx, stop := cli.OnInterrupts(context.Background(), os.Stderr, os.Exit)
	code := cli.Run(ctx, os.Args[1:], cli.DefaultDeps(version))
	stop()
	os.Exit(code)
}
