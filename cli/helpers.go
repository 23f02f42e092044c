package cli

// Helpers every command shares: opening the chosen portal, confirmations,
// JSON output and progress bars.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/portal/explain"
	"github.com/hsadmin/hsadmin/store"
)

// openedPortal is a portal opened for one command: the portal (mirror,
// journal, client) and the connection behind it.
type openedPortal struct {
	*portal.Portal
	target *target
	// tempDir holds the built-in sandbox's mirror; removed on Close.
	tempDir string
}

// Close closes the portal and, for the built-in sandbox, its server and
// throwaway directory.
func (op *openedPortal) Close() {
	op.Portal.Close()
	op.target.close()
	if op.tempDir != "" {
		os.RemoveAll(op.tempDir)
	}
}

// open dials the portal and opens its mirror and journal. A mirror that has
// never been synced is synced first, with progress on stderr, so every
// command sees data.
func (pf *portalFlags) open(ctx context.Context, io stdio) (*openedPortal, error) {
	op, err := pf.openMirror(ctx, io)
	if err != nil {
		return nil, err
	}
	last, err := op.LastSync(ctx)
	if err != nil {
		op.Close()
		return nil, err
	}
	if last.IsZero() {
		fmt.Fprintln(io.err, "hsadmin: the local mirror is empty: syncing it first")
		if err := syncWithProgress(ctx, io, op.Portal, false); err != nil {
			op.Close()
			return nil, err
		}
	}
	return op, nil
}

// openMirror dials the portal and opens its mirror and journal without
// syncing.
func (pf *portalFlags) openMirror(ctx context.Context, io stdio) (*openedPortal, error) {
	cfg, err := pf.app.loadConfig()
	if err != nil {
		return nil, err
	}
	t, err := pf.dial(io)
	if err != nil {
		return nil, err
	}
	dataDir, tempDir := pf.dataDir, ""
	if t.builtIn != nil && dataDir == "" {
		// The built-in sandbox lives for one run; so does its mirror.
		if tempDir, err = os.MkdirTemp("", "hsadmin-sandbox-"); err != nil {
			t.close()
			return nil, err
		}
		dataDir = tempDir
	}
	p, notice, err := portal.Open(ctx, portal.Config{
		Client:      t.client,
		DataDir:     dataDir,
		Name:        t.name,
		BaseURL:     t.baseURL,
		Sandbox:     t.builtIn != nil,
		ReadOnly:    t.readOnly,
		HubID:       t.hubID,
		AccessToken: t.accessToken,
		DirKey:      t.dirKey,
		Scopes:      t.grantedScopes(ctx, io),
		PageSizes: portal.PageSizes{
			Contacts: cfg.PageSizes.Contacts, Search: cfg.PageSizes.Search, Batch: cfg.PageSizes.Batch,
		},
	})
	if err != nil {
		t.close()
		if tempDir != "" {
			os.RemoveAll(tempDir)
		}
		return nil, err
	}
	if notice != "" {
		fmt.Fprintf(io.err, "hsadmin: %s\n", notice)
	}
	return &openedPortal{Portal: p, target: t, tempDir: tempDir}, nil
}

// explainErr is the sentence an admin sees for err.
func explainErr(err error) string {
	if s := explain.Explain(err); s != "" {
		return s
	}
	return err.Error()
}

// confirm asks a yes/no question on a terminal. Off a terminal the command
// needs --yes, so scripts never hang on a prompt nobody answers.
func confirm(std stdio, prompt string, yes bool) error {
	if yes {
		return nil
	}
	if !std.isTerminal(std.in) {
		return usagef("not on a terminal: add --yes to confirm (%s)", prompt)
	}
	fmt.Fprintf(std.err, "%s [y/N] ", prompt)
	answer, err := readLine(std.in)
	if err != nil {
		return err
	}
	switch strings.ToLower(answer) {
	case "y", "yes":
		return nil
	}
	return errAborted
}

// typedConfirm asks the admin to type want (a count, a portal name) to go
// on: a stronger confirmation for large or production changes. Off a
// terminal it is refused; pass the expected value with the command's flag
// instead.
func typedConfirm(std stdio, prompt, want string) error {
	if !std.isTerminal(std.in) {
		return usagef("not on a terminal: %s", prompt)
	}
	fmt.Fprintf(std.err, "%s\nType %q to go on: ", prompt, want)
	answer, err := readLine(std.in)
	if err != nil {
		return err
	}
	if answer != want {
		return errAborted
	}
	return nil
}

// errAborted is the admin saying no; nothing was sent.
var errAborted = fmt.Errorf("not confirmed; nothing was changed")

func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no answer: %w", err)
	}
	return strings.TrimSpace(line), nil
}

// printJSON writes v as one indented JSON document on stdout.
func printJSON(std stdio, v any) error {
	enc := json.NewEncoder(std.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// progressBar draws "[=====>    ]" width cells wide for fraction in [0,1];
// a negative fraction (unknown total) draws dots.
func progressBar(width int, fraction float64) string {
	inner := max(width-2, 1)
	if fraction < 0 {
		return "[" + strings.Repeat(".", inner) + "]"
	}
	fraction = min(fraction, 1)
	full := int(fraction * float64(inner))
	bar := strings.Repeat("=", full)
	if full < inner {
		bar += ">" + strings.Repeat(" ", inner-full-1)
	}
	return "[" + bar + "]"
}

// progressPrinter writes progress lines to stderr: redrawn in place on a
// terminal, one line per phase (and at most one every few seconds)
// otherwise, so logs stay readable.
type progressPrinter struct {
	w        io.Writer
	now      func() time.Time
	terminal bool
	last     time.Time
	lastLine string
	open     bool // a terminal line is drawn but not ended
}

func newProgressPrinter(std stdio) *progressPrinter {
	// Off a terminal the first line waits like the others: a quick phase
	// then prints only its final line.
	return &progressPrinter{w: std.err, now: std.now, terminal: std.isTerminal(std.err), last: std.now()}
}

// Line shows one progress line; final ends it.
func (pp *progressPrinter) Line(line string, final bool) {
	if pp.terminal {
		fmt.Fprintf(pp.w, "\r\x1b[K%s", line)
		if final {
			fmt.Fprintln(pp.w)
		}
		pp.open = !final
		return
	}
	if final || pp.now().Sub(pp.last) >= 5*time.Second {
		if line != pp.lastLine {
			fmt.Fprintln(pp.w, line)
		}
		pp.last, pp.lastLine = pp.now(), line
	}
}

// syncWithProgress runs an incremental (or full) sync, drawing its progress.
func syncWithProgress(ctx context.Context, std stdio, p *portal.Portal, full bool) error {
	progress := make(chan portal.SyncProgress, 64)
	done := make(chan error, 1)
	go func() {
		if full {
			done <- p.FullSync(ctx, progress)
		} else {
			done <- p.Sync(ctx, progress)
		}
	}()
	pp := newProgressPrinter(std)
	draw := func(sp portal.SyncProgress) {
		fraction := sp.Fraction()
		if sp.Finished {
			fraction = 1 // a phase of unknown size is complete too
		}
		pp.Line(progressBar(24, fraction)+" "+sp.String(), sp.Finished)
	}
	for {
		select {
		case sp := <-progress:
			draw(sp)
		case err := <-done:
			drainProgress(progress, draw)
			pp.End()
			return err
		}
	}
}

// End finishes a line left open on a terminal.
func (pp *progressPrinter) End() {
	if pp.open {
		fmt.Fprintln(pp.w)
		pp.open = false
	}
}

// drainProgress draws the reports still buffered once the sync returned.
func drainProgress(progress <-chan portal.SyncProgress, draw func(portal.SyncProgress)) {
	for {
		select {
		case sp := <-progress:
			draw(sp)
		default:
			return
		}
	}
}

// guardProduction asks for the portal's name before a job of more than
// portal.ProductionConfirmAbove changes on a portal marked production; --confirm-portal
// NAME answers in advance (scripts, or off a terminal).
func (op *openedPortal) guardProduction(std stdio, pf *portalFlags, changes int) error {
	if !op.target.production || changes <= portal.ProductionConfirmAbove {
		return nil
	}
	name := op.target.name
	if pf.confirmPortal != "" {
		if pf.confirmPortal != name {
			return usagef("--confirm-portal %q is not this portal's name; nothing was sent", pf.confirmPortal)
		}
		return nil
	}
	if !std.isTerminal(std.in) {
		return usagef("%s is a production portal and this changes %s: add --confirm-portal %s", name, portal.Plural(changes, "record"), name)
	}
	return typedConfirm(std, fmt.Sprintf("%s is a PRODUCTION portal and this changes %s.", name, portal.Plural(changes, "record")), name)
}

// portalSummary is the one line that counts a portal's people and records,
// for hsadmin sync and hsadmin sandbox.
func portalSummary(c store.Counts) string {
	return fmt.Sprintf("%s (%s with several roles), %s, %s, %s (%s deactivated, %s), %s, %s",
		portal.Plural(c.Users, "user"), portal.Thousands(c.MultiRoleUsers), portal.Plural(c.Roles, "role"), portal.Plural(c.Teams, "team"),
		portal.Plural(c.Owners, "owner"), portal.Thousands(c.ArchivedOwners), portal.Plural(c.QueueOwners, "queue"),
		portal.Plural(c.CRMUsers, "CRM user record"), portal.Plural(c.Contacts, "contact"))
}

// recordsSummary is ", 400 companies, 600 deals": the other types' counts.
func recordsSummary(types []store.TypeCount) string {
	var s string
	for _, t := range types {
		s += ", " + t.Words()
	}
	return s
}

// followProgress draws every report a running job sends until the job
// says it is done, then the reports still queued, so that the last line
// drawn is the job's last report; it returns what the job ended with.
func followProgress[P, O any](progress <-chan P, done <-chan O, draw func(P)) O {
	var o O
wait:
	for {
		select {
		case p := <-progress:
			draw(p)
		case o = <-done:
			break wait
		}
	}
	for {
		select {
		case p := <-progress:
			draw(p)
		default:
			return o
		}
	}
}
