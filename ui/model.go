package ui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// Options configure the console.
type Options struct {
	ReadOnly  bool                // show the READ-ONLY badge (the portal may also say so)
	Keys      map[string][]string // action name -> keys, from the config file; see ActionNames
	Input     io.Reader           // default os.Stdin
	Output    io.Writer           // default os.Stdout
	StartSync bool                // run a background Sync at start

	dir string // where exports go; "" is the working directory
}

// Run opens the console and blocks until the admin quits or ctx ends.
// Invalid key rebinding is reported before the terminal is touched.
func Run(ctx context.Context, b Backend, opts Options) error {
	if _, err := newKeymap(opts.Keys); err != nil {
		return err
	}
	m := newModel(ctx, b, opts)
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	_, err := tea.NewProgram(m, popts...).Run()
	m.stopSync()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the caller cancelled: a normal way to close
	}
	return err
}

// New returns the root model without starting a program, for tests and for
// callers that run their own tea.Program. Invalid key rebinding falls back
// to the defaults and shows the problem as an error in the status line.
func New(b Backend, opts Options) tea.Model {
	return newModel(context.Background(), b, opts)
}

type viewKind int

const (
	viewMain viewKind = iota
	viewFindings
	viewLog
)

type inputMode int

const (
	inputNone inputMode = iota
	inputFilter
	inputCommand
)

// model is the one root model. Every backend call runs in a tea.Cmd; Update
// only applies results, dropping those of superseded requests.
type model struct {
	ctx   context.Context
	b     Backend
	calls CallLog // nil when the backend keeps no log
	info  portal.Info
	opts  Options
	keys  *keymap

	lay           layout
	st            styles
	isDark        bool
	noColor       bool
	width, height int

	view  viewKind
	focus paneKind // users, owners or contacts
	panes [paneCount]*pane

	// what the selection in users/owners links to
	linkedUser  hubspot.UserID
	linkedOwner hubspot.OwnerID
	scope       contactScope

	cards      map[string]cardResult
	detailKey  string
	resolution *resolved
	resolveSeq int
	resolving  bool

	input        lineInput
	mode         inputMode
	filterBefore string
	completions  []string

	help    bool
	helpTop int

	msg string // last message, replaced by the next
	err string // last error, stays until dismissed

	syncing      bool
	syncRun      int
	syncProgress portal.SyncProgress
	syncCancel   context.CancelFunc
	syncGen      int // bumps after each sync; cached cards from before are dropped
	lastSync     time.Time

	exporting   bool
	markingAll  bool
	logTicking  bool
	spinFrame   int
	spinArmed   bool
	version     int
	frame       frameCache
	tick        func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	now         func() time.Time
	loc         *time.Location
	findingsGen int
}

type contactScope struct {
	owner hubspot.OwnerID
	label string // who the owner is, for the pane title
	empty string // when set, the selection has no owner: this says why
}

type cardResult struct {
	card store.IDCard
	err  error
}

type resolved struct {
	res portal.Resolution
	err error
}

type frameCache struct {
	version, w, h int
	content       string
	valid         bool
}

func newModel(ctx context.Context, b Backend, opts Options) *model {
	m := &model{
		ctx:   ctx,
		b:     b,
		info:  b.Info(),
		opts:  opts,
		cards: map[string]cardResult{},
		tick:  tea.Tick,
		now:   time.Now,
		loc:   time.Local,
		// dark until the terminal says otherwise: most admin terminals are
		isDark:  true,
		noColor: noColorRequested(),
		width:   80,
		height:  24,
	}
	if cl, ok := b.(CallLog); ok {
		m.calls = cl
	}
	keys, err := newKeymap(opts.Keys)
	if err != nil {
		m.err = err.Error() + "; using the default keys"
		keys, _ = newKeymap(nil)
	}
	m.keys = keys
	for k := range paneCount {
		m.panes[k] = newPane(k)
	}
	m.st = newStyles(m.isDark, m.noColor)
	m.layout()
	return m
}

func (m *model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		tea.RequestBackgroundColor,
		m.reload(paneUsers),
		m.reload(paneOwners),
		m.reloadContacts(),
		m.loadLastSync(),
	}
	if m.opts.StartSync {
		cmds = append(cmds, m.startSync())
	}
	cmds = append(cmds, m.armSpinner())
	return tea.Batch(cmds...)
}

func (m *model) readOnly() bool { return m.opts.ReadOnly || m.info.ReadOnly }

func (m *model) currentPane() *pane {
	switch m.view {
	case viewFindings:
		return m.panes[paneFindings]
	case viewLog:
		return m.panes[paneLog]
	}
	return m.panes[m.focus]
}

func (m *model) setErr(prefix string, err error) {
	m.err = prefix + ": " + err.Error()
}

func (m *model) busy() bool {
	for _, p := range m.panes {
		if p.loading {
			return true
		}
	}
	return m.syncing || m.exporting || m.resolving || m.markingAll || m.cardLoading()
}

func (m *model) cardLoading() bool {
	if m.detailKey == "" {
		return false
	}
	_, ok := m.cards[m.detailKey]
	return !ok
}

type spinTickMsg struct{}

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// armSpinner starts the spinner tick if something runs and no tick is armed;
// an idle console schedules no ticks at all.
func (m *model) armSpinner() tea.Cmd {
	if m.spinArmed || !m.busy() {
		return nil
	}
	m.spinArmed = true
	return m.tick(120*time.Millisecond, func(time.Time) tea.Msg { return spinTickMsg{} })
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd, changed := m.update(msg)
	if changed {
		m.version++
	}
	return m, tea.Batch(cmd, m.armSpinner())
}

// update applies one message; changed says whether the screen may differ.
func (m *model) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m.ensureWindow(), true
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.st = newStyles(m.isDark, m.noColor)
		return nil, true
	case tea.KeyPressMsg:
		cmd := m.handleKey(msg)
		m.layout() // views and the input line change the layout
		return tea.Batch(cmd, m.ensureWindow()), true
	case tea.PasteMsg:
		if m.mode != inputNone {
			m.input.insert(msg.Content)
			return m.inputChanged(), true
		}
		return nil, false
	case spinTickMsg:
		m.spinArmed = false
		if !m.busy() {
			return nil, false
		}
		m.spinFrame = (m.spinFrame + 1) % len(spinFrames)
		return nil, true
	case rowsMsg:
		return m.applyRows(msg), true
	case countMsg:
		return m.applyCount(msg), true
	case cardMsg:
		if msg.syncGen != m.syncGen {
			return nil, false
		}
		m.cards[msg.key] = cardResult{msg.card, msg.err}
		return nil, msg.key == m.detailKey
	case resolveMsg:
		if msg.seq != m.resolveSeq {
			return nil, false
		}
		m.resolving = false
		m.resolution = &resolved{msg.res, msg.err}
		return nil, true
	case findingsMsg:
		return m.applyFindings(msg), true
	case callsMsg:
		return m.applyCalls(msg), true
	case logTickMsg:
		m.logTicking = false
		if m.view != viewLog {
			return nil, false
		}
		return m.loadCalls(), false
	case syncProgressMsg:
		return m.applySyncProgress(msg)
	case syncDoneMsg:
		return m.applySyncDone(msg), true
	case lastSyncMsg:
		if msg.err == nil {
			m.lastSync = msg.t
		}
		return nil, true
	case exportDoneMsg:
		m.exporting = false
		if msg.err != nil {
			m.setErr("export failed", msg.err)
		} else {
			m.msg = exportSummary(msg)
		}
		return nil, true
	case markAllMsg:
		return m.applyMarkAll(msg), true
	}
	return nil, false
}
