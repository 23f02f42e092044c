package ui

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
)

// portalMsg is the result of opening a portal for `:portal NAME`.
type portalMsg struct {
	seq  int
	name string
	b    Backend
	err  error
}

// switchPortal opens another configured portal in a Cmd; the console keeps
// showing the current one until it is open.
func (m *model) switchPortal(name string) tea.Cmd {
	if m.opts.SwitchPortal == nil || len(m.opts.Portals) == 0 {
		m.err = ":portal: no other portals are configured"
		return nil
	}
	if name == "" {
		m.err = "usage: :portal NAME (one of " + sanitize(strings.Join(m.opts.Portals, ", ")) + ")"
		return nil
	}
	if !slices.Contains(m.opts.Portals, name) {
		m.err = ":portal: no portal named " + sanitize(name) + " (tab completes names)"
		return nil
	}
	m.portalSeq++
	m.switching = name
	seq, open, ctx := m.portalSeq, m.opts.SwitchPortal, m.ctx
	return func() tea.Msg {
		b, err := open(ctx, name)
		return portalMsg{seq: seq, name: name, b: b, err: err}
	}
}

// applyPortal swaps the backend. Every generation counter moves on, so a
// result still on its way from the old portal is dropped when it arrives.
func (m *model) applyPortal(msg portalMsg) tea.Cmd {
	if msg.seq != m.portalSeq {
		return nil // a newer :portal superseded this one
	}
	m.switching = ""
	if msg.err != nil {
		m.setErr("opening portal "+sanitize(msg.name), msg.err)
		return nil
	}
	if msg.b == nil {
		m.err = "opening portal " + sanitize(msg.name) + ": no portal returned"
		return nil
	}
	m.stopSync()
	m.syncing = false
	m.syncRun++
	m.portalGen++
	m.syncGen++

	m.b = msg.b
	m.info = msg.b.Info()
	m.calls = nil
	if cl, ok := msg.b.(CallLog); ok {
		m.calls = cl
	}
	settings := PortalSettings{Production: true}
	if m.opts.Settings != nil {
		settings = m.opts.Settings(msg.name)
	}
	m.opts.PortalName = msg.name
	m.opts.Accent = settings.Accent
	m.opts.Production = settings.Production
	m.opts.ReadOnly = settings.ReadOnly
	m.opts.Disabled = settings.Disabled
	m.keys.setReadOnly(m.readOnly())
	m.restyle()

	for k := range paneCount {
		old := m.panes[k]
		p := newPane(k)
		p.gen = old.gen + 1 // results for the old portal carry an older gen
		p.height = old.height
		m.panes[k] = p
	}
	m.cards = map[string]cardResult{}
	m.detailKey = ""
	m.resolveSeq++
	m.resolution, m.resolving = nil, false
	m.scope = contactScope{}
	m.linkedUser, m.linkedOwner = hubspot.UserID(""), hubspot.OwnerID("")
	m.view, m.focus, m.detailZoom = viewMain, paneUsers, false
	m.closeHelp()
	m.exporting, m.markingAll = false, false
	m.lastSync = time.Time{}
	m.err = ""
	m.msg = "switched to portal " + sanitize(msg.name)
	m.layout()
	cmds := []tea.Cmd{m.reload(paneUsers), m.reload(paneOwners), m.reloadContacts(), m.loadLastSync()}
	if m.opts.StartSync {
		cmds = append(cmds, m.startSync())
	}
	return tea.Batch(cmds...)
}
