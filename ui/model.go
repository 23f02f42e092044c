package ui

import (
	"context"
	"errors"
	"io"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/portal/explain"
)

// Options configure the console.
type Options struct {
	// ReadOnly hides every write action (the portal's Info may also say so)
	// and shows the READ-ONLY badge.
	ReadOnly  bool
	Keys      map[string][]string // action name -> keys, from the config file; see ActionNames
	Input     io.Reader           // default os.Stdin
	Output    io.Writer           // default os.Stdout
	StartSync bool                // run a background Sync at start
	// RefreshEvery is how often the console syncs incrementally in the
	// background while open (autorefresh.go); 0 never does.
	RefreshEvery time.Duration
	// Notice is shown in the status line at start, e.g. what was found
	// about changes an earlier run left unfinished.
	Notice string

	// PortalName is the config file's name for the portal; the status line
	// shows it, and a production portal's typed confirmation asks for it.
	// "" falls back to the portal's own name (Backend.Info().Name).
	PortalName string
	// Accent colours the portal name in the status line: "#rrggbb" or an
	// ANSI colour number "0".."255". "" keeps the default colours.
	Accent string
	// Production portals show a PRODUCTION badge and ask the admin to type
	// the portal's name before a job of more than 100 changes.
	Production bool
	// Disabled maps action names (see ActionNames) to why they cannot run,
	// e.g. "the token lacks the crm.objects.contacts.write scope". Such
	// actions stay in help with the reason and refuse to run.
	Disabled map[string]string

	// Portals are the configured portal names `:portal NAME` completes and
	// switches between. SwitchPortal opens one; the console calls it in a
	// Cmd, swaps the backend, drops every in-flight result of the old one
	// and reloads. The console closes nothing: the caller owns backends.
	// :portal is hidden when either is unset.
	Portals      []string
	SwitchPortal func(ctx context.Context, name string) (Backend, error)
	// Settings returns the config file's settings of a portal in Portals;
	// they replace PortalName, Accent, Production, ReadOnly and Disabled
	// after a switch. When nil, a switched-to portal is treated as
	// production (the safe guess) with no accent and nothing disabled.
	Settings func(name string) PortalSettings

	dir string // where exports go; "" is the working directory
}

// PortalSettings is what the config file says about one named portal.
type PortalSettings struct {
	Accent     string
	Production bool
	ReadOnly   bool
	Disabled   map[string]string
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
		return nil //nolint:nilerr // the caller cancelled: a normal way to close
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
	detailZoom bool // the detail box fills the main area (enter; esc closes)
	resolution *resolved
	resolveSeq int
	resolving  bool

	input        textinput.Model
	mode         inputMode
	filterBefore string
	helpView     help.Model // renders key hints from key.Bindings

	// confirm is the open typed confirmation, also on the overlay stack;
	// its onOK runs once the admin confirms.
	confirm *pendingConfirm
	// interrupt asks whether to cancel a running job or keep it running
	// (interrupt.go); it is over everything else while open.
	interrupt *interruptPrompt

	portalSeq int    // bumps per :portal request; older replies are dropped
	portalGen int    // bumps per completed switch; results of older portals are dropped
	switching string // the portal being opened, "" when none

	// overlays are the open modals, bottom to top (overlay.go).
	overlays []overlay
	cursorAt *overlayOrigin // where the top overlay's body was last drawn
	// overlayCanvas is reused by every frame with an overlay (overlay.go).
	overlayCanvas *lipgloss.Canvas

	change *changeFlow // an open team/role change dialog or :restore view

	reassign *reassignFlow // an open reassignment, undo or resume (reassign.go)
	offboard *offboardFlow // an open offboarding (offboard.go)
	jobs     *jobsView     // the :jobs audit view (jobs.go)
	// jobDetail is a job opened from the jobs view (job_detail.go).
	jobDetail *jobDetailView

	msg string // last message, replaced by the next
	err string // last error, stays until dismissed

	syncing      bool
	syncRun      int
	syncProgress portal.SyncProgress
	syncReported time.Time // when syncProgress arrived: its ETA counts down from then

	// the current contacts query's context, cancelled by the next (contacts_ctx.go)
	contactsCtx    context.Context
	contactsCancel context.CancelFunc
	syncCancel     context.CancelFunc
	syncGen        int                 // bumps after each sync; cached cards from before are dropped
	syncStage      syncStage           // what the running sync has written (syncfill.go)
	syncFilled     time.Time           // the contacts pane last re-read during a sync
	syncContacts   portal.SyncProgress // the contacts listing's last report: other types are listed alongside
	lastSync       time.Time

	// background refresh and the status line's age (autorefresh.go)
	opened         time.Time // when the console started, by m.now
	refreshTried   time.Time // the last background refresh started
	syncBackground bool      // the running sync is a background refresh
	clockArmed     bool

	exporting   bool
	markingAll  bool
	logTicking  bool
	spin        spinner.Model  // drawn and ticking only while busy()
	spinArmed   bool           // a tick is scheduled
	bar         progress.Model // the sync progress bar, drawn statically
	version     int
	frame       frameCache
	tick        func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	now         func() time.Time
	loc         *time.Location
	findingsGen int

	rec recordsState // the types beyond contacts and a pane per type (records.go)
}

type contactScope struct {
	owner hubspot.OwnerID
	label string // who the owner is, for the pane title
	empty string // when set, the selection has no owner: this says why
	// of, property and finding narrow the records of type of to one owner
	// property, or to a findings group (records.go); who is label without
	// them, for when another type is shown.
	of       hubspot.ObjectType
	property string
	finding  string
	who      string
}

type cardResult struct {
	card portal.IDCard
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
	m.keys.setReadOnly(m.readOnly())
	if opts.Notice != "" && m.err == "" {
		m.msg = opts.Notice
	}
	for k := range paneCount {
		m.panes[k] = newPane(k)
	}
	m.resetRecords()
	m.input = newLineInput()
	m.helpView = help.New()
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.restyle()
	m.layout()
	return m
}

// restyle rebuilds every style after the background or the portal changed.
func (m *model) restyle() {
	m.st = newStyles(m.isDark, m.noColor, m.opts.Accent)
	m.input.SetStyles(inputStyles(m.isDark, m.noColor))
	m.helpView.Styles = helpStyles(m.isDark, m.noColor)
	m.spin.Style = m.st.dim
	m.bar = newSyncBar(m.isDark, m.noColor)
}

func (m *model) Init() tea.Cmd {
	m.opened = m.now()
	cmds := []tea.Cmd{
		tea.RequestBackgroundColor,
		m.reload(paneUsers),
		m.reload(paneOwners),
		m.reloadContacts(),
		m.loadRecordTypes(),
		m.loadLastSync(),
		m.checkUnfinished(),
	}
	if m.opts.StartSync {
		cmds = append(cmds, m.startSync())
	}
	cmds = append(cmds, m.armSpinner(), m.armClock())
	return tea.Batch(cmds...)
}

// readOnly reports whether write actions are off for this portal. Write
// actions (actionSpec.write) vanish by themselves; other code that offers a
// write (a dialog button, a command) must check this first.
func (m *model) readOnly() bool { return m.opts.ReadOnly || m.info.ReadOnly }

// portalName is the name the admin knows the portal by: the config file's
// name, else the portal's own.
func (m *model) portalName() string {
	if m.opts.PortalName != "" {
		return m.opts.PortalName
	}
	return m.info.Name
}

func (m *model) currentPane() *pane {
	switch m.view {
	case viewFindings:
		return m.panes[paneFindings]
	case viewLog:
		return m.panes[paneLog]
	}
	return m.panes[m.focus]
}

// setErr shows err in the status line until dismissed, in the words
// explain has for it (a revoked token, a missing scope, no network...).
func (m *model) setErr(prefix string, err error) {
	m.err = prefix + ": " + explain.ForPortal(err, m.opts.PortalName)
}

func (m *model) busy() bool {
	for _, p := range m.panes {
		if p.loading {
			return true
		}
	}
	return m.syncing || m.exporting || m.resolving || m.markingAll || m.switching != "" || m.cardLoading()
}

func (m *model) cardLoading() bool {
	if m.detailKey == "" {
		return false
	}
	_, ok := m.cards[m.detailKey]
	return !ok
}

// armSpinner schedules the spinner's next tick if something runs and no tick
// is armed; an idle console schedules no ticks at all. The tick goes through
// m.tick (tests replace it) and carries the spinner's own ID and tag, so a
// stale tick is ignored by spinner.Update.
func (m *model) armSpinner() tea.Cmd {
	if m.spinArmed || !m.busy() {
		return nil
	}
	m.spinArmed = true
	sp := m.spin
	return m.tick(sp.Spinner.FPS, func(time.Time) tea.Msg { return sp.Tick() })
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
	if cmd, ok := m.updateOffboard(msg); ok {
		m.closeInterruptIfDone()
		return cmd, true
	}
	if cmd, ok := m.updateReassign(msg); ok {
		m.closeInterruptIfDone()
		return cmd, true
	}
	if cmd, ok := m.updateChange(msg); ok {
		m.closeInterruptIfDone()
		return cmd, true
	}
	if cmd, ok := m.updateOnboard(msg); ok {
		m.closeInterruptIfDone()
		return cmd, true
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m.ensureWindow(), true
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.restyle()
		return nil, true
	case tea.KeyPressMsg:
		cmd := m.handleKey(msg)
		m.layout() // views and the input line change the layout
		return tea.Batch(cmd, m.ensureWindow()), true
	case tea.PasteMsg:
		if cmd, ok := m.overlayPaste(msg); ok {
			return cmd, true
		}
		if m.mode != inputNone {
			return m.editInput(msg), true
		}
		return nil, false
	case spinner.TickMsg:
		if msg.ID != m.spin.ID() {
			return nil, false
		}
		m.spinArmed = false
		if !m.busy() {
			return nil, false // idle: the spinner stops and disappears
		}
		// spinner.Update advances the frame; its own re-arm is dropped
		// because armSpinner schedules the next tick through m.tick.
		m.spin, _ = m.spin.Update(msg)
		return nil, true
	case portalMsg:
		return m.applyPortal(msg), true
	case rowsMsg:
		return m.applyRows(msg), true
	case countMsg:
		return m.applyCount(msg), true
	case positionMsg:
		return m.applyPosition(msg), true
	case cardMsg:
		if msg.syncGen != m.syncGen {
			return nil, false
		}
		m.cards[msg.key] = cardResult{sanitizeCard(msg.card), msg.err}
		return nil, msg.key == m.detailKey
	case resolveMsg:
		if msg.seq != m.resolveSeq {
			return nil, false
		}
		m.resolving = false
		m.resolution = &resolved{sanitizeResolution(msg.res), msg.err}
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
	case clockTickMsg:
		return m.applyClockTick(), true
	case lastSyncMsg:
		if msg.portal != m.portalGen {
			return nil, false
		}
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
	case recordTypesMsg:
		return m.applyRecordTypes(msg), true
	case jobDetailMsg:
		m.applyJobDetail(msg)
		return nil, true
	}
	return nil, false
}
