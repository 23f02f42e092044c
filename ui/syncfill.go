package ui

import (
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// A first sync on a fresh portal takes a while (about 20 s on a small
// portal with latency, minutes on a large one). Rather than say "nothing
// here" until it ends, the panes fill as the mirror does: users and owners
// as soon as the directory is written (in one transaction, so the mirror
// never mixes two versions of the people), contacts page by page while they
// are listed. An empty pane says what is loading instead.

// directoryPhases are the sync's phases before users and owners are written.
var directoryPhases = []string{"starting", "users", "roles", "teams", "owners", "archived owners", "CRM users"}

// syncStage is how far the running sync has got, as far as the panes care.
type syncStage int

const (
	stageDirectory syncStage = iota // reading users, owners and the rest of the directory
	stageContacts                   // the directory is written; contacts are being listed
	stageRest                       // contacts are written; other records, the search index…
)

// fillEvery is how often the contacts pane re-reads the mirror while a
// full listing writes it: often enough to watch it fill, rarely enough
// that counting a growing table costs nothing noticeable.
var fillEvery = time.Second

func isDirectoryPhase(phase string) bool { return slices.Contains(directoryPhases, phase) }

// fillDuringSync re-reads the panes the sync has just written to.
func (m *model) fillDuringSync(p portal.SyncProgress) tea.Cmd {
	var cmds []tea.Cmd
	if m.syncStage == stageDirectory && !isDirectoryPhase(p.Phase) {
		m.syncStage = stageContacts
		cmds = append(cmds, m.refreshList(paneUsers), m.refreshList(paneOwners))
	}
	// Other phases (object types, companies, deals…) interleave with the
	// contacts listing: only the contacts' own last report ends it.
	if p.Phase == "contacts" {
		m.syncContacts = p
		if now := m.now(); now.Sub(m.syncFilled) >= fillEvery || p.Finished {
			m.syncFilled = now
			cmds = append(cmds, m.refreshContacts())
		}
		if p.Finished && m.syncStage == stageContacts {
			m.syncStage = stageRest
		}
	}
	return tea.Batch(cmds...)
}

// loadingText says what an empty pane waits for while a sync runs, "" when
// the sync has already written what the pane shows (it is truly empty).
func (m *model) loadingText(k paneKind) string {
	if !m.syncing || k > paneContacts {
		return ""
	}
	p := m.syncProgress
	switch {
	case m.syncStage == stageDirectory && k == paneContacts:
		return "contacts load after users and owners…"
	case m.syncStage == stageDirectory:
		s := "loading " + paneNames[k] + "…"
		if p.Phase != "starting" {
			s += " reading " + p.Phase
			if p.Done > 0 {
				s += ": " + portal.Thousands(p.Done)
			}
		}
		return s
	case k == paneContacts && m.syncStage == stageContacts:
		if p.Phase != "contacts" {
			p = m.syncContacts // another type's report, between two of the contacts'
		}
		s := "loading contacts… " + portal.Thousands(p.Done)
		if p.Total > 0 {
			// the total is search's count when the listing began: others
			// may add or remove contacts meanwhile
			s += fmt.Sprintf(" of ~%s", portal.Thousands(p.Total))
		}
		return s
	case m.panes[k].loading:
		return "loading " + paneNames[k] + "…" // the sync wrote them; they are on their way
	}
	return ""
}
