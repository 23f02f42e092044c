package cli

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/credentials"
)

// testEnv is one test's world, passed to Run through Deps: a config
// directory of its own, credentials in a file there (never the OS keyring),
// its own environment variables and no terminal. Tests with their own
// testEnv run in parallel.
type testEnv struct {
	dir   string
	creds *credentials.Store
	mu    sync.Mutex
	vars  map[string]string
	// browser stands in for the OAuth sign-in page; nil refuses to open one.
	browser func(url string) error
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	dir := t.TempDir()
	return &testEnv{dir: dir, creds: credentials.New(filepath.Join(dir, "hsadmin"), nil), vars: map[string]string{}}
}

// cliEnv runs commands with no credentials and an empty config directory,
// so they work on the built-in sandbox, as on a newcomer's machine.
func cliEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnv(t)
}

func (e *testEnv) configPath() string { return filepath.Join(e.dir, "hsadmin", "config.toml") }

func (e *testEnv) setenv(key, value string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.vars[key] = value
}

func (e *testEnv) deps(stdin string, out, errOut *bytes.Buffer) Deps {
	e.mu.Lock()
	vars := maps.Clone(e.vars)
	e.mu.Unlock()
	return Deps{
		Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errOut,
		IsTerminal:      func(any) bool { return false },
		Getenv:          func(key string) string { return vars[key] },
		ConfigPath:      func() (string, error) { return e.configPath(), nil },
		OpenCredentials: func() (*credentials.Store, error) { return e.creds, nil },
		OpenBrowser: func(url string) error {
			if e.browser == nil {
				return errNoBrowser
			}
			return e.browser(url)
		},
		Now:     time.Now,
		Version: "test",
	}
}

var errNoBrowser = errors.New("no browser in tests")

// app is an app on e's world, for tests that call a command's parts.
func (e *testEnv) app(t *testing.T) *app {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{deps: e.deps("", &out, &errOut)}
	a.rootCommand()
	t.Cleanup(func() {
		if errOut.Len() > 0 {
			t.Logf("stderr: %s", errOut.String())
		}
	})
	return a
}

func (e *testEnv) run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, e.deps(stdin, &out, &errOut))
	return code, out.String(), errOut.String()
}

// runCLI runs hsadmin with args and nothing on standard input.
func (e *testEnv) runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return e.run(t, "", args...)
}
