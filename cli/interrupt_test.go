package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// interruptChildEnv carries the arguments of an hsadmin process the test
// binary runs as a child, to be interrupted with real signals.
const interruptChildEnv = "HSADMIN_INTERRUPT_CHILD"

// TestInterruptChild is hsadmin itself, run as a child process by the
// interrupt tests. Run alone, it does nothing.
func TestInterruptChild(t *testing.T) {
	raw := os.Getenv(interruptChildEnv)
	if raw == "" {
		t.Skip("the child half of the SIGINT tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	ctx, stop := OnInterrupts(context.Background(), os.Stderr, os.Exit)
	code := Run(ctx, args, DefaultDeps(""))
	stop()
	os.Exit(code)
}

// interruptRig is a sandbox whose first batch update (served, or held
// until release) hands the child process to onWrite.
type interruptRig struct {
	env     *testEnv
	token   string
	stderr  *lockedBuffer // the child's
	sb      *hubspottest.Server
	srv     *httptest.Server
	dataDir string
	mu      sync.Mutex
	child   *exec.Cmd
	writes  int
	onWrite func(n int, child *exec.Cmd) // called after write n was served
	isWrite func(r *http.Request) bool   // which requests count as writes; batch updates when nil
}

func newInterruptRig(t *testing.T) *interruptRig {
	t.Helper()
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	rig := &interruptRig{env: cliEnv(t), sb: hubspottest.New(hubspottest.Config{Contacts: 1000}), dataDir: t.TempDir()}
	rig.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rig.sb.ServeHTTP(w, r)
		rig.mu.Lock()
		isWrite := rig.isWrite
		rig.mu.Unlock()
		if (isWrite == nil && !strings.HasSuffix(r.URL.Path, "/batch/update")) || (isWrite != nil && !isWrite(r)) {
			return
		}
		rig.mu.Lock()
		rig.writes++
		n, child, hook := rig.writes, rig.child, rig.onWrite
		rig.mu.Unlock()
		if hook != nil && child != nil {
			hook(n, child)
		}
	}))
	t.Cleanup(rig.srv.Close)
	rig.token = rig.sb.IssueToken()
	rig.env.setenv("HUBSPOT_ACCESS_TOKEN", rig.token)
	rig.env.setenv("HUBSPOT_BASE_URL", rig.srv.URL)
	return rig
}

// start runs hsadmin args as a child against the sandbox.
func (rig *interruptRig) start(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *lockedBuffer) {
	t.Helper()
	raw, _ := json.Marshal(append(args, "--data-dir", rig.dataDir))
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), interruptChildEnv+"="+string(raw),
		"HUBSPOT_ACCESS_TOKEN="+rig.token, "HUBSPOT_BASE_URL="+rig.srv.URL, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
	)
	var out bytes.Buffer
	errb := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = &out, errb
	rig.stderr = errb
	rig.mu.Lock()
	defer rig.mu.Unlock()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rig.child = cmd
	return cmd, &out, errb
}

func childExit(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if err == nil {
		return 0
	}
	if !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return ee.ExitCode()
}

// jobRecords reads the journal's jobs as `hsadmin jobs --json` prints them.
func (rig *interruptRig) jobRecords(t *testing.T) []portal.JobRecord {
	t.Helper()
	code, out, errOut := rig.env.runCLI(t, "jobs", "--json", "--data-dir", rig.dataDir)
	if code != exitOK {
		t.Fatalf("jobs: exit %d\n%s", code, errOut)
	}
	var jobs []portal.JobRecord
	if err := json.Unmarshal([]byte(out), &jobs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return jobs
}

// lockedBuffer is a child's stderr that the test may read while the child
// writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// interrupt sends the child a SIGINT and holds the write being answered
// until the child says it will stop after the batch in flight: on a busy
// machine the job could otherwise finish before the signal is handled.
func (rig *interruptRig) interrupt(child *exec.Cmd) {
	child.Process.Signal(os.Interrupt)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(rig.stderr.String(), "stopping after the batch in flight") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the message is printed just before the cancel
}

// TestFirstSIGINTStopsAfterTheBatchInFlight: a SIGINT while a reassignment
// runs lets the batches in flight finish, says how to resume, and exits 130.
func TestFirstSIGINTStopsAfterTheBatchInFlight(t *testing.T) {
	rig := newInterruptRig(t)
	fx := rig.sb.Fixtures()
	var once sync.Once
	rig.onWrite = func(n int, child *exec.Cmd) { once.Do(func() { rig.interrupt(child) }) }
	cmd, out, errOut := rig.start(t, "reassign", "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner), "--batch", "2", "--yes")
	code := childExit(t, cmd.Wait())
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitInterrupted, out, errOut)
	}
	for _, want := range []string{"stopping after the batch in flight", "stopped after the batch in flight", "`hsadmin jobs resume 1`"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	jobs := rig.jobRecords(t)
	if len(jobs) != 1 || jobs[0].State != "cancelled" || jobs[0].Left == 0 || jobs[0].Done == 0 || !jobs[0].Resumable {
		t.Fatalf("jobs %+v", jobs)
	}
	if !strings.Contains(out.String(), "Job 1 cancelled") {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestSecondSIGINTExitsAtOnce: a second SIGINT while a batch is still in
// flight exits at once with 130; the job then shows interrupted, not
// running, and a resume finishes it without writing a contact twice.
func TestSecondSIGINTExitsAtOnce(t *testing.T) {
	rig := newInterruptRig(t)
	fx := rig.sb.Fixtures()
	exited := make(chan struct{})
	var once sync.Once
	rig.onWrite = func(n int, child *exec.Cmd) {
		once.Do(func() {
			child.Process.Signal(os.Interrupt)
			time.Sleep(50 * time.Millisecond) // let the first one be handled
			child.Process.Signal(os.Interrupt)
			// Hold the answer of this batch until the child has gone.
			select {
			case <-exited:
			case <-time.After(30 * time.Second):
			}
		})
	}
	cmd, out, errOut := rig.start(t, "reassign", "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner), "--batch", "2", "--yes")
	err := cmd.Wait()
	close(exited)
	if code := childExit(t, err); code != exitInterrupted {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitInterrupted, out, errOut)
	}
	if !strings.Contains(errOut.String(), "quitting at once") || strings.Contains(out.String(), "Job 1 cancelled") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
	jobs := rig.jobRecords(t)
	if len(jobs) != 1 || jobs[0].State != "interrupted" || jobs[0].Left == 0 || !jobs[0].Resumable {
		t.Fatalf("after the process quit: %+v", jobs)
	}
	if !strings.HasPrefix(jobs[0].Outcome, "interrupted: ") || !strings.Contains(jobs[0].Outcome, " left") {
		t.Errorf("outcome %q", jobs[0].Outcome)
	}
	code, resOut, resErr := rig.env.runCLI(t, "resume", "1", "--yes", "--data-dir", rig.dataDir)
	if code != exitOK || !strings.Contains(resOut, "Job 1 done") {
		t.Fatalf("resume: exit %d\n%s\n%s", code, resOut, resErr)
	}
}

// TestJobCommandsHelpDescribesOutcomesAndInterrupts: the --help of every
// command that runs or lists jobs says what outcomes mean and what Ctrl+C
// does.
func TestJobCommandsHelpDescribesOutcomesAndInterrupts(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for cmd, wants := range map[string][]string{
		"reassign": {"stops after the batch in flight", "exits 130", "hsadmin jobs resume JOB"},
		"resume":   {"cancelled or interrupted", "exits 130"},
		"undo":     {"--others-to OWNER", "partly undone", `"undone" only when every change is back`, "exits 130"},
		"jobs":     {"counted from the job's items", "never listed running", "undo failed", "undo cancelled"},
		"user":     {"after the user in flight", "exits 130"},
	} {
		code, out, _ := e.runCLI(t, cmd, "--help")
		if code != exitOK {
			t.Errorf("%s --help: exit %d", cmd, code)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s --help lacks %q:\n%s", cmd, want, out)
			}
		}
	}
}

// TestSIGINTDuringUserChangesStopsAfterTheUserInFlight: a role change of
// several users, interrupted while the first is written, finishes that
// user, changes no other, says so and exits 130.
func TestSIGINTDuringUserChangesStopsAfterTheUserInFlight(t *testing.T) {
	rig := newInterruptRig(t)
	fx := rig.sb.Fixtures()
	rig.isWrite = func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/settings/v3/users/")
	}
	var once sync.Once
	rig.onWrite = func(n int, child *exec.Cmd) { once.Do(func() { rig.interrupt(child) }) }
	role := string(fx.Roles[len(fx.Roles)-1])
	cmd, out, errOut := rig.start(t, "user", "set-role", string(fx.SingleRoleUser), string(fx.ActiveOwnerUser), string(fx.UserWithoutOwner),
		"--role", role, "--allow-role-loss", "--yes")
	code := childExit(t, cmd.Wait())
	if code != exitInterrupted || !strings.Contains(errOut.String(), "stopped after the user in flight") || !strings.Contains(errOut.String(), "were not changed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	rig.mu.Lock()
	writes := rig.writes
	rig.mu.Unlock()
	if writes != 1 {
		t.Errorf("%d user writes after the interrupt at the first, want 1", writes)
	}
	jobs := rig.jobRecords(t)
	if len(jobs) != 1 || jobs[0].State != "cancelled" || jobs[0].Done != 1 || !strings.HasPrefix(jobs[0].Outcome, "cancelled: 1 changed") {
		t.Fatalf("jobs %+v", jobs)
	}
}
