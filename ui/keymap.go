package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// action names are what the config file rebinds ("keys: {mark: [x]}").
type action string

const (
	actUp        action = "up"
	actDown      action = "down"
	actPageUp    action = "page-up"
	actPageDown  action = "page-down"
	actHome      action = "home"
	actEnd       action = "end"
	actNextPane  action = "next-pane"
	actPrevPane  action = "prev-pane"
	actUsers     action = "users"
	actOwners    action = "owners"
	actContacts  action = "contacts"
	actNextType  action = "next-type"
	actPrevType  action = "prev-type"
	actOpen      action = "open"
	actBack      action = "back"
	actFilter    action = "filter"
	actCommand   action = "command"
	actHelp      action = "help"
	actMark      action = "mark"
	actMarkRange action = "mark-range"
	actMarkAll   action = "mark-all"
	actUnmarkAll action = "unmark-all"
	actCopy      action = "copy"
	actResolve   action = "resolve"
	actSort      action = "sort"
	actRefresh   action = "refresh"
	actExport    action = "export"
	actFindings  action = "findings"
	actAPILog    action = "api-log"
	actQuit      action = "quit"

	// Team and role changes (teamchange.go): on the users pane, for the
	// marked users or the selected one.
	actChangeTeam      action = "change-team"
	actChangeSecondary action = "change-secondary-teams"
	actChangeRole      action = "change-role"
	actOnboard         action = "new-user" // the N form (onboard.go)

	// Owner reassignment (reassign.go) and the audit view of jobs (jobs.go).
	actReassign action = "reassign"
	actJobs     action = "jobs"

	// Offboarding a person (offboard.go): on the users pane.
	actOffboard action = "offboard"
)

// actionSpec describes one action for dispatch and for the generated help.
type actionSpec struct {
	name  action
	group string
	desc  string
	keys  []string
	// destructive actions lose work or state; they never sit on ctrl chords,
	// which tmux and shells take (ctrl+a, ctrl+d, ctrl+k...).
	destructive bool
	// write actions change the portal in HubSpot. In read-only mode they
	// vanish: their bindings are disabled, so they neither match nor show in
	// help (see keymap.setReadOnly).
	write bool
	// disabled returns why the action cannot run right now, or "".
	disabled func(m *model) string
}

func defaultActions() []actionSpec {
	return []actionSpec{
		{name: actUp, group: "move", desc: "up", keys: []string{"up", "k"}},
		{name: actDown, group: "move", desc: "down", keys: []string{"down", "j"}},
		{name: actPageUp, group: "move", desc: "page up", keys: []string{"pgup", "b"}},
		{name: actPageDown, group: "move", desc: "page down", keys: []string{"pgdown", "f"}},
		{name: actHome, group: "move", desc: "first row", keys: []string{"home", "g"}},
		{name: actEnd, group: "move", desc: "last row", keys: []string{"end", "G"}},
		{name: actNextPane, group: "panes", desc: "next pane", keys: []string{"tab", "right", "l"}, disabled: needMain},
		{name: actPrevPane, group: "panes", desc: "previous pane", keys: []string{"shift+tab", "left", "h"}, disabled: needMain},
		{name: actUsers, group: "panes", desc: "users pane", keys: []string{"1"}},
		{name: actOwners, group: "panes", desc: "owners pane", keys: []string{"2"}},
		{name: actContacts, group: "panes", desc: "records pane: contacts, companies, deals, tickets, custom objects", keys: []string{"3"}},
		{name: actNextType, group: "panes", desc: "records pane: next object type (:records TYPE picks one)", keys: []string{"]"}, disabled: needRecordTypes},
		{name: actPrevType, group: "panes", desc: "records pane: previous object type", keys: []string{"["}, disabled: needRecordTypes},
		{name: actFindings, group: "panes", desc: "findings", keys: []string{"F"}},
		{name: actAPILog, group: "panes", desc: "API log", keys: []string{"L"}, disabled: needCallLog},
		{name: actOpen, group: "panes", desc: "open: a finding's records, else the ID card full size", keys: []string{"enter"}, disabled: needOpenable},
		{name: actBack, group: "panes", desc: "back / close / dismiss error", keys: []string{"esc"}},
		{name: actFilter, group: "find", desc: "filter the focused pane", keys: []string{"/"}, disabled: needFilterable},
		{name: actCommand, group: "find", desc: "command line", keys: []string{":"}},
		{name: actResolve, group: "find", desc: "resolve the selected ID", keys: []string{"i"}, disabled: needIDRow},
		{name: actSort, group: "find", desc: "next sort key (:sort KEY sets one)", keys: []string{"s"}, disabled: needSortable},
		{name: actMark, group: "marks", desc: "mark / unmark row", keys: []string{"space"}, disabled: needMarkable},
		{name: actMarkRange, group: "marks", desc: "mark from last mark to here", keys: []string{"V"}, disabled: needRangeAnchor},
		{name: actMarkAll, group: "marks", desc: "mark every filtered row", keys: []string{"A"}, disabled: needMarkable},
		{name: actUnmarkAll, group: "marks", desc: "clear marks in this pane", keys: []string{"U"}, destructive: true, disabled: needMarks},
		{name: actChangeTeam, group: "users", desc: "change primary team (marked users together)", keys: []string{"t"}, destructive: true, write: true, disabled: needTeamChange},
		{name: actChangeSecondary, group: "users", desc: "change secondary teams", keys: []string{"T"}, destructive: true, write: true, disabled: needTeamChange},
		{name: actChangeRole, group: "users", desc: "change role (drops a multi-role user's other roles)", keys: []string{"R"}, destructive: true, write: true, disabled: needRoleChange},
		{name: actOnboard, group: "users", desc: "new user: email, name, role, teams, seats", keys: []string{"N"}, write: true, disabled: needOnboard},
		{name: actOffboard, group: "users", desc: "offboard: hand over records, leave teams, free seats, remove", keys: []string{"D"}, destructive: true, write: true, disabled: needOffboard},
		{name: actReassign, group: "records", desc: "reassign owner: marked/selected records of any type, an owner's records, a finding's", keys: []string{"o"}, write: true, disabled: needReassign},
		{name: actJobs, group: "act", desc: "jobs: the journal of every change; undo, resume, export", keys: []string{"J"}, disabled: needJobLog},
		{name: actCopy, group: "act", desc: "copy the selected ID", keys: []string{"y"}, disabled: needIDRow},
		{name: actRefresh, group: "act", desc: "refresh from HubSpot", keys: []string{"r"}, disabled: needIdleSync},
		{name: actExport, group: "act", desc: "export the view as CSV", keys: []string{"ctrl+s"}, disabled: needExportable},
		{name: actHelp, group: "act", desc: "this help", keys: []string{"?"}},
		{name: actQuit, group: "act", desc: "quit", keys: []string{"q"}, destructive: true},
	}
}

// keymap resolves key presses to actions. Each action is backed by a
// bubbles key.Binding: its keys come from the defaults or the config file,
// its help text from the spec, and a disabled binding (a write action in
// read-only mode) never matches and is left out of help.
type keymap struct {
	specs    []actionSpec
	binds    map[action]*key.Binding
	readOnly bool
}

func (k *keymap) spec(a action) *actionSpec {
	for i := range k.specs {
		if k.specs[i].name == a {
			return &k.specs[i]
		}
	}
	return nil
}

// binding returns the key.Binding behind a, or a disabled empty one.
func (k *keymap) binding(a action) key.Binding {
	if b, ok := k.binds[a]; ok {
		return *b
	}
	return key.NewBinding(key.WithDisabled())
}

// match finds the enabled action bound to a key press.
func (k *keymap) match(msg tea.KeyPressMsg) (action, bool) {
	for _, s := range k.specs {
		if key.Matches(msg, *k.binds[s.name]) {
			return s.name, true
		}
	}
	return "", false
}

// hiddenWrite finds the write action a key would run on a writable portal.
func (k *keymap) hiddenWrite(msg tea.KeyPressMsg) (action, bool) {
	if !k.readOnly {
		return "", false
	}
	ks := msg.String()
	for _, s := range k.specs {
		if s.write && slices.Contains(s.keys, ks) {
			return s.name, true
		}
	}
	return "", false
}

// available reports whether a exists right now: false for write actions in
// read-only mode, which vanish from the console rather than show as disabled.
func (k *keymap) available(a action) bool {
	s := k.spec(a)
	return s != nil && !(s.write && k.readOnly)
}

// setReadOnly disables (hides) or re-enables every write action.
func (k *keymap) setReadOnly(ro bool) {
	k.readOnly = ro
	for _, s := range k.specs {
		if s.write {
			k.binds[s.name].SetEnabled(!ro)
		}
	}
}

// keysFor returns the keys bound to a, for help and hints.
func (k *keymap) keysFor(a action) []string {
	if b, ok := k.binds[a]; ok {
		return b.Keys()
	}
	return nil
}

func (k *keymap) hint(a action) string {
	keys := k.keysFor(a)
	if len(keys) == 0 {
		return "(unbound)"
	}
	return keys[0]
}

// ActionNames lists the action names Options.Keys may rebind and
// Options.Disabled may disable.
func ActionNames() []string {
	var names []string
	for _, s := range defaultActions() {
		names = append(names, string(s.name))
	}
	return names
}

// newKeymap applies rebinding over the defaults. A rebound action loses its
// default keys. Errors name the offending action and key.
func newKeymap(rebind map[string][]string) (*keymap, error) {
	k := &keymap{specs: defaultActions()}
	names := make([]string, 0, len(rebind))
	for name := range rebind {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := k.spec(action(name))
		if s == nil {
			return nil, fmt.Errorf("keys: unknown action %q (known: %s)", name, strings.Join(ActionNames(), ", "))
		}
		keys := rebind[name]
		for _, key := range keys {
			if key == "" {
				return nil, fmt.Errorf("keys: empty key for action %q", name)
			}
			if key == " " {
				return nil, fmt.Errorf("keys: action %q: write the space bar as \"space\"", name)
			}
			if s.destructive && strings.HasPrefix(key, "ctrl+") {
				return nil, fmt.Errorf("keys: %q is destructive and cannot sit on the control chord %q (tmux and shells take those)", name, key)
			}
			if key == "ctrl+c" {
				return nil, fmt.Errorf("keys: ctrl+c always quits and cannot be bound to %q", name)
			}
		}
		s.keys = slices.Clone(keys)
	}
	taken := map[string]action{}
	k.binds = make(map[action]*key.Binding, len(k.specs))
	for _, s := range k.specs {
		for _, ks := range s.keys {
			if other, ok := taken[ks]; ok {
				return nil, fmt.Errorf("keys: %q is bound to both %q and %q", ks, other, s.name)
			}
			taken[ks] = s.name
		}
		b := key.NewBinding(key.WithKeys(s.keys...), key.WithHelp(strings.Join(s.keys, " "), s.desc))
		k.binds[s.name] = &b
	}
	return k, nil
}
