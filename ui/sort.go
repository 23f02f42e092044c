package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// Sorting, as k9s does it: `s` cycles the focused pane's sort keys, `:sort
// KEY` sets one, and the pane title shows the key (`users ↓name`). Each pane
// remembers its own key; the store orders every key by the record's ID
// last, so equal keys keep one order. The cursor stays on its record.

// paneSorts lists a pane's sort keys, its default first; nil when the pane
// does not sort.
func paneSorts(k paneKind) []string {
	switch k {
	case paneUsers:
		return portal.UserSorts
	case paneOwners:
		return portal.OwnerSorts
	case paneContacts:
		return portal.ContactSorts
	}
	return nil
}

// sorts are p's sort keys: the records pane's depend on the type shown.
func (p *pane) sorts() []string {
	if p.kind == paneContacts && p.rtype != "" {
		return portal.RecordSorts
	}
	return paneSorts(p.kind)
}

// sortKey is the key p is sorted by, its default when none was chosen.
func (p *pane) sortKey() string {
	if p.sort != "" {
		return p.sort
	}
	if keys := p.sorts(); len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// sortLabel is what the pane title says about the order: "↓name".
func (p *pane) sortLabel() string {
	if k := p.sortKey(); k != "" {
		return "↓" + k
	}
	return ""
}

// sortHelp lists every pane's keys for the help screen.
func sortHelp() string {
	var parts []string
	for _, k := range []paneKind{paneUsers, paneOwners, paneContacts} {
		parts = append(parts, paneNames[k]+": "+strings.Join(paneSorts(k), ", "))
	}
	parts = append(parts, "other records: "+strings.Join(portal.RecordSorts, ", "))
	return strings.Join(parts, " · ")
}

func needSortable(m *model) string {
	if m.view != viewMain || m.panes[m.focus].sorts() == nil {
		return "sorting applies to users, owners and contacts"
	}
	if m.focus == paneContacts && m.scope.empty != "" {
		return m.scope.empty
	}
	return ""
}

// cycleSort moves the focused pane to its next sort key.
func (m *model) cycleSort() tea.Cmd {
	p := m.currentPane()
	keys := p.sorts()
	next := keys[(slices.Index(keys, p.sortKey())+1)%len(keys)]
	return m.setSort(p, next)
}

// sortCommand runs `:sort KEY` on the focused pane; no key cycles.
func (m *model) sortCommand(key string) tea.Cmd {
	if why := needSortable(m); why != "" {
		m.msg = ":sort: " + why
		return nil
	}
	p := m.currentPane()
	if key == "" {
		return m.cycleSort()
	}
	keys := p.sorts()
	if !slices.Contains(keys, key) {
		m.err = ":sort " + sanitize(key) + ": " + m.paneLabel(p.kind) + " sort by " + strings.Join(keys, ", ")
		return nil
	}
	return m.setSort(p, key)
}

// setSort re-queries p in the new order, keeping the cursor on its record.
func (m *model) setSort(p *pane, key string) tea.Cmd {
	if key == p.sortKey() {
		return nil
	}
	p.sort = key
	m.keepPlace(p)
	m.msg = m.paneLabel(p.kind) + " sorted by " + key
	return m.requery(p)
}

// sortCompletions are the `:sort` arguments for the focused pane.
func sortCompletions(m *model) []string {
	return m.panes[m.focus].sorts()
}
