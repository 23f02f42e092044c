package cli

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/config"
	"github.com/hsadmin/hsadmin/credentials"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// portalWithJob is a token portal whose journal holds one finished
// reassignment (job 1): undoable, nothing to resume.
func portalWithJob(t *testing.T) (*tokenPortal, string) {
	t.Helper()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 200, Users: 12})
	fx := tp.sb.Fixtures()
	dataDir := "--data-dir=" + tp.dataDir
	if code, out, errOut := tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ActiveOwner), "--to", string(fx.QueueOwner), "--yes"); code != exitOK || !strings.Contains(out, "Job 1 done") {
		t.Fatalf("reassign: exit %d\n%s\n%s", code, out, errOut)
	}
	return tp, dataDir
}

func jobsJSON(t *testing.T, out string) []portal.JobRecord {
	t.Helper()
	var jobs []portal.JobRecord
	if err := json.Unmarshal([]byte(out), &jobs); err != nil {
		t.Fatalf("not a JSON list of jobs: %v\n%s", err, out)
	}
	return jobs
}

// The noun-verb spellings and the old ones run the same commands.
func TestNewSpellingsAndOldAliases(t *testing.T) {
	t.Parallel()
	tp, dataDir := portalWithJob(t)

	for _, args := range [][]string{{"jobs", "list"}, {"jobs", "ls"}, {"jobs"}} {
		code, out, errOut := tp.runCLI(t, append(args, dataDir, "--json")...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		if jobs := jobsJSON(t, out); len(jobs) != 1 || jobs[0].ID != 1 || !jobs[0].Undoable {
			t.Errorf("%v --json: %+v", args, jobs)
		}
	}
	for _, args := range [][]string{{"jobs", "resume", "1"}, {"resume", "1"}} {
		if code, _, errOut := tp.runCLI(t, append(args, dataDir)...); code != exitFailure || !strings.Contains(errOut, "job 1 has nothing to resume") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"jobs", "undo", "1"}, {"undo", "1"}} {
		code, out, errOut := tp.runCLI(t, append(args, dataDir, "--dry-run")...)
		if code != exitOK || !strings.Contains(out, "Dry run: nothing was sent.") {
			t.Errorf("%v --dry-run: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if n := len(tp.sb.WriteRequests()); n == 0 {
		t.Fatal("the reassignment sent nothing")
	}
	for _, args := range [][]string{{"restore", "list"}, {"restore", "ls"}, {"restore-list"}} {
		code, out, errOut := tp.runCLI(t, append(args, dataDir, "--json")...)
		if code != exitOK || strings.TrimSpace(out) != "[]" {
			t.Errorf("%v --json: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	// The old spellings work but stay out of the help.
	_, help, _ := tp.runCLI(t, "--help")
	for _, hidden := range []string{"restore-list", "\n    resume", "\n    undo"} {
		if strings.Contains(help, hidden) {
			t.Errorf("the help lists the old spelling %q:\n%s", hidden, help)
		}
	}
	for _, shown := range []string{"jobs", "restore", "user", "completion"} {
		if !strings.Contains(help, shown) {
			t.Errorf("the help does not list %q:\n%s", shown, help)
		}
	}
}

// The portal flags and --json work before the command too.
func TestPersistentFlagsBeforeTheCommand(t *testing.T) {
	t.Parallel()
	tp, dataDir := portalWithJob(t)
	code, out, errOut := tp.runCLI(t, dataDir, "--json", "jobs")
	if code != exitOK || len(jobsJSON(t, out)) != 1 {
		t.Fatalf("--data-dir DIR --json jobs: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, "--read-only", dataDir, "jobs", "undo", "1", "--yes")
	if code == exitOK || !strings.Contains(strings.ToLower(out+errOut), "read-only") {
		t.Errorf("--read-only before the command was not applied: exit %d\n%s%s", code, out, errOut)
	}
	// --portal before the command chooses the portal instead of being
	// refused as the console's argument.
	code, _, errOut = tp.runCLI(t, "--portal", "prod", "sync")
	if code != exitUsage || !strings.Contains(errOut, `no portal named "prod"`) || strings.Contains(errOut, "unexpected argument") {
		t.Errorf("--portal prod sync with no such portal: exit %d, %s", code, errOut)
	}
}

func TestPortalFlagBeforeSync(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	if code, _, errOut := e.run(t, e.sb.IssueToken()+"\n", "login", "--portal", "prod", "--token", "--base-url", e.srv.URL); code != exitOK {
		t.Fatalf("login: %s", errOut)
	}
	code, out, errOut := e.runCLI(t, "--portal", "prod", "--data-dir", t.TempDir(), "sync")
	if code != exitOK || !strings.Contains(out, "Synced hub 62515") {
		t.Errorf("hsadmin --portal prod sync: exit %d\n%s%s", code, out, errOut)
	}
}

// Flags written the way the standard flag package took them (-json) keep
// working for old scripts.
func TestSingleDashLongFlagsStillWork(t *testing.T) {
	t.Parallel()
	tp, _ := portalWithJob(t)
	code, out, errOut := tp.runCLI(t, "jobs", "-data-dir="+tp.dataDir, "-json")
	if code != exitOK || len(jobsJSON(t, out)) != 1 {
		t.Errorf("jobs -data-dir=DIR -json: exit %d\n%s%s", code, out, errOut)
	}
	if got := normalizeArgs(newTestApp(t).rootCommand(), []string{"resolve", "-json", "-x", "-5", "--", "-json"}); !slices.Equal(got, []string{"resolve", "--json", "-x", "-5", "--", "-json"}) {
		t.Errorf("normalizeArgs: %q", got)
	}
}

func newTestApp(t *testing.T) *app {
	t.Helper()
	return &app{deps: newTestEnv(t).deps("", nil, nil)}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"snyc"}, `unknown command "snyc"; did you mean sync?`},
		{[]string{"jobs", "lst"}, `did you mean list?`},
		{[]string{"restore", "lsit"}, `did you mean list?`},
		{[]string{"user", "set-tema"}, `did you mean set-team?`},
		{[]string{"sync", "--ful"}, `unknown flag: --ful; did you mean --full?`},
		{[]string{"resolve", "x", "--jsno"}, `did you mean --json?`},
	} {
		code, out, errOut := e.runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
		if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || out != "" {
			t.Errorf("%v: want one line on stderr and nothing on stdout, got %q / %q", tc.args, out, errOut)
		}
	}
}

func TestUsageMistakesOfTheNewCommands(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"user"}, "name a subcommand: create, set-role, set-team"},
		{[]string{"restore"}, "name a subcommand: list"},
		// Each change has its own flags.
		{[]string{"user", "set-role", "1", "--team", "Sales"}, "unknown flag: --team"},
		{[]string{"user", "set-team", "1", "--role", "Admin"}, "unknown flag: --role"},
		{[]string{"sync", "--json"}, "--json: this command prints text only"},
		{[]string{"jobs", "undo"}, "name one job"},
		{[]string{"completion", "bash", "extra"}, `unknown command "extra"`},
	} {
		if code, _, errOut := e.runCLI(t, tc.args...); code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// `hsadmin sandbox --help` prints its usage once, on stdout.
func TestHelpIsPrintedOnce(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for _, args := range [][]string{{"sandbox", "--help"}, {"help", "sandbox"}, {"user", "set-team", "-h"}} {
		code, out, errOut := e.runCLI(t, args...)
		if code != exitOK || strings.Count(out, "USAGE") != 1 || errOut != "" {
			t.Errorf("%v: exit %d, %d usages\nstdout %s\nstderr %s", args, code, strings.Count(out, "USAGE"), out, errOut)
		}
	}
	_, out, _ := e.runCLI(t, "sandbox", "--help")
	for _, want := range []string{"--fail-429-policy", "--oauth-client-id", "--listen"} {
		if !strings.Contains(out, want) {
			t.Errorf("sandbox --help lacks %s", want)
		}
	}
	if code, out, _ := e.runCLI(t, "--version"); code != exitOK || out != "hsadmin test\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

// fang capitalises the first word of every summary and flag description
// ("HubSpot" would print as "Hubspot"): none may start with a word whose
// case matters.
func TestHelpTextsSurviveCapitalisation(t *testing.T) {
	t.Parallel()
	var walk func(c *cobra.Command)
	check := func(where, text string) {
		first, _, _ := strings.Cut(strings.TrimSpace(text), " ")
		for _, r := range []rune(first)[min(1, len(first)):] {
			if unicode.IsUpper(r) {
				t.Errorf("%s starts with %q, which the help would misspell", where, first)
				return
			}
		}
	}
	walk = func(c *cobra.Command) {
		check(c.CommandPath(), c.Short)
		c.LocalFlags().VisitAll(func(f *pflag.Flag) { check(c.CommandPath()+" --"+f.Name, f.Usage) })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newTestApp(t).rootCommand())
}

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errOut := e.runCLI(t, "completion", shell)
		if code != exitOK || !strings.Contains(out, "hsadmin") || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), errOut)
		}
	}
	if _, out, _ := e.runCLI(t, "completion", "bash"); !strings.Contains(out, "complete -o default -F __start_hsadmin hsadmin") {
		t.Errorf("the bash script does not register itself:\n%.400s", out)
	}
}

// completions are the words cobra's hidden __complete command offers,
// without the directive line.
func completions(out string) []string {
	var words []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" || strings.HasPrefix(line, ":") {
			continue
		}
		word, _, _ := strings.Cut(line, "\t")
		words = append(words, word)
	}
	return words
}

func TestCompletePortalNames(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	writeFile(t, e.configPath(), "[portal.prod]\nhub_id = 1\n\n[portal.staging]\nhub_id = 2\n")
	code, out, errOut := e.runCLI(t, "__complete", "--portal", "")
	if got := completions(out); code != exitOK || !slices.Equal(got, []string{"prod", "staging"}) {
		t.Errorf("--portal <tab>: exit %d, %q (stdout %q, stderr %q)", code, got, out, errOut)
	}
	if !strings.Contains(out, "prod\thub 1") {
		t.Errorf("no description: %q", out)
	}
	_, out, _ = e.runCLI(t, "__complete", "sync", "--portal", "st")
	if got := completions(out); !slices.Equal(got, []string{"staging"}) {
		t.Errorf("sync --portal st<tab>: %q", got)
	}
}

func TestCompleteJobIDsAndOwnerEmails(t *testing.T) {
	t.Parallel()
	tp, dataDir := portalWithJob(t)
	for _, args := range [][]string{{"jobs", "undo"}, {"undo"}} {
		_, out, errOut := tp.runCLI(t, append(append([]string{"__complete"}, args...), dataDir, "")...)
		if got := completions(out); !slices.Equal(got, []string{"1"}) || !strings.Contains(out, "1\tGive ") {
			t.Errorf("%v <tab>: %q\nstdout %s\nstderr %s", args, got, out, errOut)
		}
	}
	// A finished job has nothing to resume.
	if _, out, _ := tp.runCLI(t, "__complete", "jobs", "resume", dataDir, ""); len(completions(out)) != 0 {
		t.Errorf("jobs resume <tab> offers %q", completions(out))
	}

	u, _ := tp.sb.User(tp.sb.Fixtures().ActiveOwnerUser)
	_, out, errOut := tp.runCLI(t, "__complete", "reassign", dataDir, "--to", u.Email[:3])
	if got := completions(out); !slices.Contains(got, u.Email) {
		t.Errorf("reassign --to %s<tab>: %q want %s\n%s", u.Email[:3], got, u.Email, errOut)
	}
	if _, out, _ := tp.runCLI(t, "__complete", "resolve", dataDir, u.Email[:3]); !slices.Contains(completions(out), u.Email) {
		t.Errorf("resolve <tab>: %q", completions(out))
	}
}

// With nothing configured, a tab press does not start the built-in sandbox.
func TestCompletionWithoutAPortalOffersNothing(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	code, out, errOut := e.runCLI(t, "__complete", "jobs", "undo", "")
	if code != exitOK || len(completions(out)) != 0 || strings.Contains(errOut, "built-in sandbox") {
		t.Errorf("exit %d, %q, stderr %q", code, completions(out), errOut)
	}
}

// Without --portal, login names the portal after the hub it signs in to and
// says so.
func TestLoginWithoutPortalNamesItAfterTheHub(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	tok := e.sb.IssueToken()
	code, out, errOut := e.run(t, tok+"\n", "login", "--token", "--base-url", e.srv.URL)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	assertNoToken(t, "login output", []string{tok}, out, errOut)
	if !strings.Contains(out, "Signed in to portal hub-62515 (hub 62515") || !strings.Contains(out, "Saved as portal hub-62515") ||
		!strings.Contains(out, "--portal hub-62515") || !strings.Contains(errOut, "Added [portal.hub-62515]") {
		t.Errorf("stdout %s\nstderr %s", out, errOut)
	}
	cfg, err := config.Load(e.configPath())
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := cfg.Portal("hub-62515"); !ok || p.HubID != 62515 || p.BaseURL != e.srv.URL || p.Auth != config.AuthToken {
		t.Errorf("config portal %+v", p)
	}
	if cred, err := e.creds.Load("hub-62515"); err != nil || cred.AccessToken != tok {
		t.Errorf("saved %v %v", cred, err)
	}

	// Signing in to the same hub again goes to the same portal.
	tok2 := e.sb.IssueToken()
	code, out, errOut = e.run(t, tok2+"\n", "login", "--token", "--base-url", e.srv.URL)
	if code != exitOK || !strings.Contains(out, "portal hub-62515") || strings.Contains(errOut, "Added") {
		t.Errorf("second login: exit %d\n%s%s", code, out, errOut)
	}
	if cfg, _ := config.Load(e.configPath()); len(cfg.Portals) != 1 {
		t.Errorf("config holds %d portals", len(cfg.Portals))
	}
	if code, out, _ := e.runCLI(t, "--portal", "hub-62515", "--data-dir", t.TempDir(), "sync"); code != exitOK || !strings.Contains(out, "Synced hub 62515") {
		t.Errorf("the new portal does not connect: exit %d %s", code, out)
	}
}

// A hub that is already a configured portal keeps that portal's name.
func TestLoginWithoutPortalFindsTheHubsPortal(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	writeFile(t, e.configPath(), "[portal.prod]\nbase_url = \""+e.srv.URL+"\"\nhub_id = 62515\n")
	code, out, errOut := e.run(t, e.sb.IssueToken()+"\n", "login", "--token", "--base-url", e.srv.URL)
	if code != exitOK || !strings.Contains(out, "Signed in to portal prod") || strings.Contains(errOut, "Added") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := e.creds.Load("prod"); err != nil {
		t.Errorf("not saved as prod: %v", err)
	}
	// The same hub configured for OAuth is not signed in with a token.
	writeFile(t, e.configPath(), "[portal.prod]\nauth = \"oauth\"\nbase_url = \""+e.srv.URL+"\"\nhub_id = 62515\n")
	code, _, errOut = e.run(t, e.sb.IssueToken()+"\n", "login", "--token", "--base-url", e.srv.URL)
	if code != exitUsage || !strings.Contains(errOut, "hub 62515 is portal prod, configured for oauth sign-in") {
		t.Errorf("auth mismatch: exit %d, %s", code, errOut)
	}
}

func TestLoginWithOAuthWithoutPortal(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	const secret = "oauth-client-SECRET"
	e.setenv("HUBSPOT_CLIENT_SECRET", secret)
	e.browser = func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		e.sb.RegisterOAuthApp("cid-2", secret, u.Query().Get("redirect_uri"))
		go func() {
			if resp, err := http.Get(authURL); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	code, out, errOut := e.run(t, "", "login", "--oauth", "--client-id", "cid-2", "--base-url", e.srv.URL)
	if code != exitOK || !strings.Contains(out, "Saved as portal hub-62515") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	cred, err := e.creds.Load("hub-62515")
	if err != nil || cred.Method != credentials.MethodOAuth {
		t.Fatalf("saved %v %v", cred, err)
	}
	assertNoToken(t, "login output", cred.Secrets(), out, errOut)
	cfg, _ := config.Load(e.configPath())
	if p, _ := cfg.Portal("hub-62515"); p.Auth != config.AuthOAuth {
		t.Errorf("config portal %+v", p)
	}
}

// The real terminal check: a pipe is not a terminal.
func TestFileIsTerminal(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if fileIsTerminal(r) || fileIsTerminal(w) || fileIsTerminal(strings.NewReader("")) {
		t.Error("a pipe or a reader counts as a terminal")
	}
	if f, err := os.Create(filepath.Join(t.TempDir(), "f")); err == nil {
		defer f.Close()
		if fileIsTerminal(f) {
			t.Error("a file counts as a terminal")
		}
	}
}
