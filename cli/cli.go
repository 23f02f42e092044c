// Package cli is hsadmin's commands: flags, output, prompts, and the wiring
// to portal and ui. Everything a command reaches outside the process (the
// config file, saved credentials, the browser, the clock, the environment and
// the standard streams) comes in through Deps, so tests run commands side by
// side without patching globals.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hsadmin/hsadmin/config"
	"github.com/hsadmin/hsadmin/credentials"
	"github.com/hsadmin/hsadmin/portal/signin"
)

// Exit statuses shared by every command.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// Deps is what the commands use of the world outside the process.
type Deps struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// IsTerminal reports whether one of the streams above is an
	// interactive terminal (prompts, progress redrawn in place, the console).
	IsTerminal func(stream any) bool
	Getenv     func(key string) string
	// ConfigPath is where the config file lives.
	ConfigPath      func() (string, error)
	OpenCredentials func() (*credentials.Store, error)
	// OpenBrowser shows the OAuth sign-in page.
	OpenBrowser func(url string) error
	Now         func() time.Time
	// Version is the build's version ("" reads the module's build info).
	Version string
}

// DefaultDeps are the real process's: its streams, environment, the user's
// config directory, the OS keyring and browser.
func DefaultDeps(version string) Deps {
	return Deps{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		IsTerminal: fileIsTerminal,
		Getenv:     os.Getenv,
		ConfigPath: config.DefaultPath,
		OpenCredentials: func() (*credentials.Store, error) {
			dir, err := credentials.DefaultDir()
			if err != nil {
				return nil, err
			}
			return credentials.Open(dir), nil
		},
		OpenBrowser: signin.OpenBrowser,
		Now:         time.Now,
		Version:     version,
	}
}

// fileIsTerminal reports whether stream is a file descriptor on a terminal.
func fileIsTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// stdio is the standard streams as a command uses them.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	tty      func(any) bool
	clock    func() time.Time // nil: the system clock
}

// isTerminal reports whether stream (one of std's) is an interactive terminal.
func (std stdio) isTerminal(stream any) bool { return std.tty != nil && std.tty(stream) }

// now is the time by the command's clock.
func (std stdio) now() time.Time {
	if std.clock == nil {
		return time.Now()
	}
	return std.clock()
}

// usageError is a mistake in how hsadmin was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// commandError is an error with the command it came from, for the one line
// hsadmin prints.
type commandError struct {
	path string // "hsadmin jobs undo"
	err  error
}

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// app is one run of hsadmin: its dependencies and the flags every command
// shares.
type app struct {
	deps Deps
	pf   *portalFlags
	// asJSON is the persistent --json; commands that print JSON read it.
	asJSON bool
}

// Run runs hsadmin with args (without the program name) and returns the
// exit status.
func Run(ctx context.Context, args []string, deps Deps) int {
	a := &app{deps: deps}
	root := a.rootCommand()
	root.SetArgs(normalizeArgs(root, args))
	root.SetIn(deps.Stdin)
	root.SetOut(deps.Stdout)
	root.SetErr(deps.Stderr)
	err := fang.Execute(ctx, root,
		fang.WithVersion(a.version()),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, fromCobra(err)) }),
	)
	return exitCode(fromCobra(err))
}

// fromCobra makes the errors cobra returns by itself (an argument a
// built-in command refuses, a required flag) usage errors: every error of
// hsadmin's own comes wrapped in a commandError.
func fromCobra(err error) error {
	var ce *commandError
	if err == nil || errors.As(err, &ce) {
		return err
	}
	return usageError{err.Error()}
}

func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case interrupted(err):
		return exitInterrupted
	default:
		return exitFailure
	}
}

// printError writes the one line an error gets: what happened and, for bad
// usage, where the help is.
func printError(w io.Writer, err error) {
	path := "hsadmin"
	var ce *commandError
	if errors.As(err, &ce) {
		path = ce.path
	}
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(w, "%s: %s (see %s --help)\n", path, oneLine(ue.msg), path)
	case interrupted(err):
		msg := "interrupted"
		if !errors.Is(err, context.Canceled) {
			msg = err.Error()
		}
		fmt.Fprintf(w, "%s: %s\n", path, msg)
	default:
		fmt.Fprintf(w, "%s: %s\n", path, oneLine(explainErr(err)))
	}
}

// run adapts a command's body to cobra: the streams come from the app, and
// errors carry the command's name.
func (a *app) run(body func(ctx context.Context, std stdio, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := body(cmd.Context(), a.stdio(), args); err != nil {
			return &commandError{path: cmd.CommandPath(), err: err}
		}
		return nil
	}
}

func (a *app) stdio() stdio {
	return stdio{in: a.deps.Stdin, out: a.deps.Stdout, err: a.deps.Stderr, tty: a.deps.IsTerminal, clock: a.deps.Now}
}

func (a *app) getenv(key string) string {
	if a.deps.Getenv == nil {
		return ""
	}
	return a.deps.Getenv(key)
}

func (a *app) now() time.Time {
	if a.deps.Now == nil {
		return time.Now()
	}
	return a.deps.Now()
}

func (a *app) loadConfig() (*config.Config, error) {
	path, err := a.deps.ConfigPath()
	if err != nil {
		return nil, err
	}
	return config.Load(path)
}

func (a *app) openCredentials() (*credentials.Store, error) { return a.deps.OpenCredentials() }

// version is set at build time (main's -ldflags "-X main.version=...");
// otherwise it comes from the module's build information.
func (a *app) version() string {
	if a.deps.Version != "" {
		return a.deps.Version
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
