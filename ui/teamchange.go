package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// TeamChanger is optionally implemented by a Backend that can change users'
// teams and role; *portal.Portal does. Without it the console offers no team
// or role changes. Plans are pure; ApplyUserChange writes to HubSpot.
type TeamChanger interface {
	ChangeNames(ctx context.Context) (portal.Names, error)
	PlanTeamChange(ctx context.Context, users []hubspot.UserID, ch portal.TeamChange) (portal.UserChangePlan, error)
	PlanRoleChange(ctx context.Context, users []hubspot.UserID, role hubspot.RoleID) (portal.UserChangePlan, error)
	ApplyUserChange(ctx context.Context, plan portal.UserChangePlan, m portal.Method) (portal.ApplyResult, error)
	RestoreList(ctx context.Context) ([]portal.RestoreItem, error)
	// TickRestoreItems ticks checklist items off by hand.
	TickRestoreItems(ctx context.Context, ids []int64) ([]int64, error)
}

// changeWhat is what a team-change flow changes.
type changeWhat int

const (
	changePrimary changeWhat = iota
	changeSecondary
	changeRole
)

// changeStage is where a flow is: pick → plan → confirm or warn → apply → result.
type changeStage int

const (
	stagePick     changeStage = iota // choosing a team or role
	stagePlanning                    // waiting for the plan
	stageConfirm                     // nothing is lost: a plain yes/no
	stageWarn                        // roles would be lost: options 1, 2, 3
	stageTypeN                       // option 2 chosen: type the number of roles
	stageApplying
	stageResult
	stageRestore // the :restore checklist
)

// Warning dialog options.
const (
	optKeepRoles = iota
	optDropRoles
	optCancel
)

// changeFlow is an open team/role change dialog or the restore view. Every
// backend answer names the flow it was asked for and is dropped when that
// flow is no longer open.
type changeFlow struct {
	what  changeWhat
	stage changeStage
	users []hubspot.UserID
	who   string // "Ana Lopez" or "3 marked users"

	names    portal.Names
	loaded   bool
	filter   string
	cursor   int
	selected []hubspot.TeamID  // secondary teams being picked
	holds    map[string]string // option ID → what the one user has now ("current", "primary", "also held")

	plan   portal.UserChangePlan
	choice int
	typed  string
	top    int    // first plan line shown
	note   string // a refusal or hint inside the dialog
	result portal.ApplyResult
	err    string

	restore []portal.RestoreItem

	// undo is the planned undo of job undoOf, when the flow undoes a team
	// or role change from the journal.
	undo      *portal.UserChangeUndo
	undoOf    int64
	usedMarks bool // the users were the marked ones: the change clears them
}

type changeNamesMsg struct {
	flow  *changeFlow
	names portal.Names
	err   error
}

type changePlanMsg struct {
	flow *changeFlow
	plan portal.UserChangePlan
	undo *portal.UserChangeUndo // set when the plan undoes a job
	err  error
}

type changeAppliedMsg struct {
	flow *changeFlow
	res  portal.ApplyResult
	err  error
}

type restoreListMsg struct {
	flow  *changeFlow
	items []portal.RestoreItem
	note  string // what a tick did, for the status line
	err   error
}

func (m *model) teamChanger() TeamChanger {
	tc, _ := m.b.(TeamChanger)
	return tc
}

// selectedUsers are the marked users, else the user under the cursor.
func (m *model) selectedUsers() ([]hubspot.UserID, string) {
	p := m.panes[paneUsers]
	var ids []hubspot.UserID
	for _, key := range p.markOrder {
		if u, ok := p.marks[key].(userItem); ok {
			ids = append(ids, u.UserID)
		}
	}
	if len(ids) > 0 {
		return ids, portal.Plural(len(ids), "marked user")
	}
	if u, ok := p.current().(userItem); ok {
		return []hubspot.UserID{u.UserID}, u.Name
	}
	return nil, ""
}

// startChange opens the picker for what.
func (m *model) startChange(what changeWhat) tea.Cmd {
	users, who := m.selectedUsers()
	f := &changeFlow{what: what, users: users, who: who, choice: optCancel}
	f.usedMarks = len(m.panes[paneUsers].marks) > 0
	// When one user is changed, the picker shows what that user has now,
	// and secondary teams start from the current ones.
	if u, ok := m.panes[paneUsers].current().(userItem); ok && len(users) == 1 && u.UserID == users[0] {
		f.holds = currentHoldings(what, u.UserRow)
		if what == changeSecondary {
			f.selected = slices.Clone(u.SecondaryTeamIDs)
		}
	}
	m.openChange(f)
	tc, ctx := m.teamChanger(), m.ctx
	return func() tea.Msg {
		names, err := tc.ChangeNames(ctx)
		return changeNamesMsg{flow: f, names: names, err: err}
	}
}

// openRestore opens the restore checklist.
func (m *model) openRestore() tea.Cmd {
	f := &changeFlow{stage: stageRestore}
	m.openChange(f)
	tc, ctx := m.teamChanger(), m.ctx
	return func() tea.Msg {
		items, err := tc.RestoreList(ctx)
		return restoreListMsg{flow: f, items: items, err: err}
	}
}

// openChange shows f as an overlay; m.change finds it for its messages.
func (m *model) openChange(f *changeFlow) {
	m.change = f
	m.openOverlay(f)
}

// updateChange applies the flow's backend answers; ok is false for other
// messages.
func (m *model) updateChange(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	f := m.change
	switch msg := msg.(type) {
	case changeNamesMsg:
		if f == nil || msg.flow != f {
			return nil, true
		}
		f.names, f.loaded = msg.names, true
		if msg.err != nil {
			f.err = "cannot list teams and roles: " + msg.err.Error()
		}
		return nil, true
	case changePlanMsg:
		if f == nil || msg.flow != f {
			return nil, true
		}
		if msg.err != nil {
			f.stage, f.err = stageResult, "cannot plan the change: "+msg.err.Error()
			return nil, true
		}
		f.plan, f.top, f.note, f.undo = msg.plan, 0, "", msg.undo
		switch {
		case len(msg.plan.Changing()) == 0 && msg.undo != nil:
			f.stage, f.err = stageResult, undoNothingText(msg.undo)
		case len(msg.plan.Changing()) == 0:
			f.stage, f.err = stageResult, "nothing to change: every user is already as asked"
		case msg.plan.Lossy():
			f.stage, f.choice = stageWarn, optCancel
		default:
			f.stage = stageConfirm
		}
		return nil, true
	case changeAppliedMsg:
		if f == nil || msg.flow != f {
			return nil, true
		}
		f.stage, f.result = stageResult, msg.res
		if msg.err != nil {
			f.err = msg.err.Error()
		}
		m.msg = resultSummary(msg.res, msg.err)
		if len(msg.res.Users) > 0 && f.usedMarks {
			m.clearUsedMarks(paneUsers)
		}
		// The mirror changed: redraw everything from it.
		return m.refreshAll(), true
	case restoreListMsg:
		if f == nil || msg.flow != f {
			return nil, true
		}
		f.restore, f.loaded = msg.items, true
		f.cursor = min(f.cursor, max(len(f.restore)-1, 0))
		if msg.note != "" {
			m.msg = msg.note
		}
		if msg.err != nil {
			f.err = "cannot read the restore checklist: " + msg.err.Error()
		}
		return nil, true
	}
	return nil, false
}

func resultSummary(res portal.ApplyResult, err error) string {
	if err != nil {
		return "change not sent: " + err.Error()
	}
	s := fmt.Sprintf("changed %s of %s", portal.Thousands(res.Count(portal.ItemDone)), portal.Plural(len(res.Users), "user"))
	if n := res.DroppedCount(); n > 0 {
		s += "; " + portal.Plural(n, "dropped role") + " on the :restore list"
	}
	return s
}

// changeKey handles every key while a flow is open.
func (m *model) changeKey(k tea.KeyPressMsg) tea.Cmd {
	f := m.change
	ks := k.String()
	if ks == "esc" && f.stage != stageApplying {
		if f.stage == stagePick && f.filter != "" {
			f.filter, f.cursor = "", 0
			return nil
		}
		m.closeOverlay(f)
		if f.stage != stageResult && f.stage != stageRestore {
			m.msg = "change cancelled; nothing was sent"
		}
		return nil
	}
	switch f.stage {
	case stageApplying:
		if ks == "q" {
			return m.quit() // asks: the change is being sent
		}
	case stagePick:
		return m.pickKey(f, k)
	case stageConfirm:
		switch ks {
		case "enter", "y":
			m2, _ := f.plan.PlainMethod()
			return m.applyChange(f, m2)
		case "n", "q":
			m.closeOverlay(f)
			m.msg = "change cancelled; nothing was sent"
		default:
			f.scrollKey(ks)
		}
	case stageWarn:
		return m.warnKey(f, ks)
	case stageTypeN:
		want := strconv.Itoa(f.plan.GoneCount())
		switch {
		case ks == "enter" && f.typed == want:
			return m.applyChange(f, portal.MethodPut)
		case ks == "enter":
			f.note = fmt.Sprintf("type %s, the number of roles that will be dropped, then enter", want)
		case ks == "backspace":
			if f.typed != "" {
				f.typed = f.typed[:len(f.typed)-1]
			}
		case len(k.Text) == 1 && k.Text[0] >= '0' && k.Text[0] <= '9':
			f.typed += k.Text
		}
	case stageResult:
		if ks == "enter" || ks == "q" {
			m.closeOverlay(f)
		}
	case stageRestore:
		return m.restoreKey(f, ks)
	}
	return nil
}

// restoreKey moves over the checklist's items and ticks the one under the
// cursor off by hand.
func (m *model) restoreKey(f *changeFlow, ks string) tea.Cmd {
	switch ks {
	case "q":
		m.closeOverlay(f)
	case "down", "j":
		f.cursor = min(f.cursor+1, max(len(f.restore)-1, 0))
	case "up", "k":
		f.cursor = max(f.cursor-1, 0)
	case "pgdown", "pgup":
		f.scrollKey(ks)
	case "x", "space":
		if f.cursor >= len(f.restore) {
			return nil
		}
		it := f.restore[f.cursor]
		if !it.Open() {
			m.msg = it.RoleName + " for " + it.UserName + " is already ticked off"
			return nil
		}
		tc, ctx := m.teamChanger(), m.ctx
		return func() tea.Msg {
			msg := restoreListMsg{flow: f}
			if _, msg.err = tc.TickRestoreItems(ctx, []int64{it.ID}); msg.err != nil {
				msg.err = fmt.Errorf("cannot tick %s off: %w", it.RoleName, msg.err)
				return msg
			}
			msg.note = fmt.Sprintf("ticked off by hand: %s for %s", it.RoleName, it.UserName)
			msg.items, msg.err = tc.RestoreList(ctx)
			return msg
		}
	}
	return nil
}

// scrollKey scrolls the dialog's text; the view clamps top to what fits.
func (f *changeFlow) scrollKey(ks string) {
	switch ks {
	case "down", "j", "pgdown":
		f.top = min(f.top+1, f.lineCount())
	case "up", "k", "pgup":
		f.top = max(f.top-1, 0)
	}
}

// pickKey edits the filter and moves in the filtered list of teams or roles.
func (m *model) pickKey(f *changeFlow, k tea.KeyPressMsg) tea.Cmd {
	opts := f.options()
	switch ks := k.String(); ks {
	case "up", "ctrl+p":
		f.cursor = max(f.cursor-1, 0)
	case "down", "ctrl+n":
		f.cursor = min(f.cursor+1, max(len(opts)-1, 0))
	case "backspace":
		if r := []rune(f.filter); len(r) > 0 {
			f.filter, f.cursor = string(r[:len(r)-1]), 0
		}
	case "space":
		if f.what == changeSecondary && f.cursor < len(opts) {
			id := hubspot.TeamID(opts[f.cursor].id)
			if i := slices.Index(f.selected, id); i >= 0 {
				f.selected = slices.Delete(f.selected, i, i+1)
			} else {
				f.selected = append(f.selected, id)
			}
			return nil
		}
		f.filter, f.cursor = f.filter+" ", 0
	case "enter":
		return m.pickDone(f, opts)
	default:
		if k.Text != "" && !k.Mod.Contains(tea.ModCtrl) && !k.Mod.Contains(tea.ModAlt) && !strings.ContainsFunc(k.Text, unicode.IsControl) {
			f.filter, f.cursor = f.filter+k.Text, 0
		}
	}
	return nil
}

// pickDone asks for the plan of the picked team(s) or role.
func (m *model) pickDone(f *changeFlow, opts []pickOption) tea.Cmd {
	tc, ctx, users := m.teamChanger(), m.ctx, f.users
	var plan func() (portal.UserChangePlan, error)
	switch f.what {
	case changeSecondary:
		ch := portal.TeamChange{Secondary: slices.Clone(f.selected), SetSecondary: true}
		plan = func() (portal.UserChangePlan, error) { return tc.PlanTeamChange(ctx, users, ch) }
	case changePrimary:
		if f.cursor >= len(opts) {
			return nil
		}
		ch := portal.TeamChange{Primary: hubspot.TeamID(opts[f.cursor].id)}
		plan = func() (portal.UserChangePlan, error) { return tc.PlanTeamChange(ctx, users, ch) }
	case changeRole:
		if f.cursor >= len(opts) {
			return nil
		}
		role := hubspot.RoleID(opts[f.cursor].id)
		plan = func() (portal.UserChangePlan, error) { return tc.PlanRoleChange(ctx, users, role) }
	}
	f.stage = stagePlanning
	b := m.b
	return func() tea.Msg {
		notes, err := rereadUsers(ctx, b, users)
		if err != nil {
			return changePlanMsg{flow: f, err: err}
		}
		pl, err := plan()
		pl.Notes = append(pl.Notes, notes...)
		return changePlanMsg{flow: f, plan: pl, err: err}
	}
}

func (m *model) warnKey(f *changeFlow, ks string) tea.Cmd {
	pick := -1
	switch ks {
	case "up", "k":
		f.choice = max(f.choice-1, optKeepRoles)
	case "down", "j":
		f.choice = min(f.choice+1, optCancel)
	case "pgdown":
		f.top = min(f.top+1, f.lineCount())
	case "pgup":
		f.top = max(f.top-1, 0)
	case "1", "2", "3":
		pick = int(ks[0] - '1')
		f.choice = pick
	case "enter":
		pick = f.choice
	}
	switch pick {
	case optKeepRoles:
		if a := f.plan.KeepRoles; !a.OK() {
			f.note = "Keeping all roles is not possible: " + a.Reason
			return nil
		}
		return m.applyChange(f, portal.MethodKeepRoles)
	case optDropRoles:
		if a := f.plan.Put; !a.OK() {
			f.note = "A user update is not possible: " + a.Reason
			return nil
		}
		f.stage, f.typed, f.note = stageTypeN, "", ""
	case optCancel:
		m.closeOverlay(f)
		m.msg = "change cancelled; nothing was sent"
	}
	return nil
}

// applyChange sends the plan in a Cmd; Update only sees the result.
func (m *model) applyChange(f *changeFlow, method portal.Method) tea.Cmd {
	if m.readOnly() {
		f.stage, f.err = stageResult, "the portal is open read-only; nothing was sent"
		return nil
	}
	f.stage, f.note = stageApplying, ""
	if f.undo != nil {
		return m.applyUserChangeUndo(f, method)
	}
	tc, ctx, plan := m.teamChanger(), m.ctx, f.plan
	return func() tea.Msg {
		res, err := tc.ApplyUserChange(ctx, plan, method)
		return changeAppliedMsg{flow: f, res: res, err: err}
	}
}

// lineCount bounds scrolling: the dialog never has more lines than this.
func (f *changeFlow) lineCount() int {
	if f.stage == stageRestore {
		return 3 * len(f.restore)
	}
	return len(f.planText()) + 2*len(f.plan.Users)
}

// planText is the plan's per-user text; an undo adds who it leaves alone
// and why.
func (f *changeFlow) planText() []string {
	if f.undo != nil {
		return f.undo.DetailLines()
	}
	return append(planNotes(f.plan), f.plan.UserLines()...)
}

// currentHoldings names what u holds among the options of a what picker:
// its primary team ("current"), or its roles: the one the user API keeps
// ("primary") and the others, which a role change drops ("also held").
func currentHoldings(what changeWhat, u portal.UserRow) map[string]string {
	holds := map[string]string{}
	switch what {
	case changePrimary:
		if u.PrimaryTeamID != "" {
			holds[string(u.PrimaryTeamID)] = "current"
		}
	case changeRole:
		for _, r := range u.RoleIDs {
			holds[string(r)] = "also held"
		}
		if u.PrimaryRoleID != "" {
			holds[string(u.PrimaryRoleID)] = "primary"
		}
	}
	return holds
}

// pickOption is one row of the picker.
type pickOption struct {
	id, label string
}

// options are the teams or roles matching the filter, by name.
func (f *changeFlow) options() []pickOption {
	var all []pickOption
	if f.what == changeRole {
		for _, r := range f.names.Roles {
			all = append(all, pickOption{string(r.ID), r.Name})
		}
	} else {
		for _, t := range f.names.Teams {
			all = append(all, pickOption{string(t.ID), t.Name})
		}
	}
	needle := strings.ToLower(strings.TrimSpace(f.filter))
	if needle == "" {
		return all
	}
	var out []pickOption
	for _, o := range all {
		if strings.Contains(strings.ToLower(o.label), needle) || strings.Contains(o.id, needle) {
			out = append(out, o)
		}
	}
	return out
}

// Disabled reasons of the change actions.

func needUserChange(m *model, refusal func(portal.Info) string) string {
	if m.view != viewMain || m.focus != paneUsers {
		return "only on the users pane"
	}
	if m.teamChanger() == nil {
		return "this portal connection cannot change users"
	}
	if m.readOnly() {
		return "the portal is open read-only"
	}
	if why := refusal(m.info); why != "" {
		return why
	}
	if users, _ := m.selectedUsers(); len(users) == 0 {
		return "no user selected"
	}
	return ""
}

func needTeamChange(m *model) string { return needUserChange(m, portal.Info.TeamChangeRefusal) }
func needRoleChange(m *model) string { return needUserChange(m, portal.Info.RoleChangeRefusal) }

func needRestoreList(m *model) string {
	if m.teamChanger() == nil {
		return "this portal connection keeps no restore checklist"
	}
	return ""
}
