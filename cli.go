package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/term"
)

// Exit statuses shared by every command.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// it comes from the module's build information.
var version = ""

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// command is one `hsadmin COMMAND`. run returns an error; a usageError maps to
// exit status 2, any other error to 1.
type command struct {
	name    string
	args    string // synopsis after the name, e.g. "VALUE [--json]"
	summary string
	flags   func(fs *flag.FlagSet) func(ctx context.Context, io stdio, args []string) error
}

// usageError is a mistake in how hsadmin was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// commands is filled by the cli_*.go files' init functions, so each command
// lives beside its own flags.
var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// defaultCommand runs when no command is named: the console.
const defaultCommand = "console"

func run(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			if len(args) > 1 {
				if c, ok := commands[args[1]]; ok {
					return runCommand(ctx, c, []string{"--help"}, io)
				}
			}
			printUsage(io.out)
			return exitOK
		case "-version", "--version", "version":
			fmt.Fprintf(io.out, "hsadmin %s\n", buildVersion())
			return exitOK
		}
	}
	name := defaultCommand
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(io.err, "hsadmin: unknown command %q (see hsadmin --help)\n", name)
		return exitUsage
	}
	return runCommand(ctx, c, args, io)
}

func runCommand(ctx context.Context, c command, args []string, io stdio) int {
	fs := flag.NewFlagSet("hsadmin "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	body := c.flags(fs)
	fs.Usage = func() { printCommandUsage(io.err, c, fs) }
	// Flags may come before or after the command's arguments:
	// hsadmin resolve 1225511 --json.
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(io.out, c, fs)
			return exitOK
		}
		// flag has already printed the reason and the usage.
		return exitUsage
	}
	err = body(ctx, io, rest)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(io.err, "hsadmin %s: %s (see hsadmin %s --help)\n", c.name, ue.msg, c.name)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(io.err, "hsadmin %s: interrupted\n", c.name)
		return exitFailure
	default:
		fmt.Fprintf(io.err, "hsadmin %s: %s\n", c.name, oneLine(explainErr(err)))
		return exitFailure
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `hsadmin %s: a keyboard console for HubSpot portal administrators

Usage:
  hsadmin [COMMAND] [FLAGS]

With no command, hsadmin opens the console. With no credentials it works on a
built-in sandbox portal, so you can try everything without a HubSpot account.

Commands:
`, buildVersion())
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, `
Choosing a portal (the first that applies):
  --portal NAME            a portal signed in with "hsadmin login"
  HUBSPOT_ACCESS_TOKEN     a private app, service key or OAuth access token,
                           with --base-url URL (or HUBSPOT_BASE_URL) for EU hosts
  default_portal           from the config file (see "hsadmin portals")
  otherwise                a built-in sandbox portal that lives for one run

Run "hsadmin COMMAND --help" for a command's flags.
Exit status: 0 success, 1 failure, 2 bad usage.
`)
}

func printCommandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: hsadmin %s %s\n\n%s\n\nFlags:\n", c.name, c.args, c.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// oneLine keeps error messages to the single line the conventions promise.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// isTerminal reports whether f is an interactive terminal. A character
// device is not enough: /dev/null is one, and a prompt on it reads EOF.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// parseInterspersed parses flags wherever they are among args and returns
// the other arguments in order. A lone "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for bounded := len(args) + 1; bounded > 0; bounded-- {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional, args = append(positional, args[0]), args[1:]
	}
	return positional, nil
}
