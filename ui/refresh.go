package ui

import tea "charm.land/bubbletea/v2"

// After a write (a reassignment, its undo or resume, a team or role
// change) or a sync, everything on screen may be out of date: rows, the
// counts in titles and tabs, ID cards, findings, the jobs view. refreshAll
// is the one way the console catches up. It re-reads every pane from the
// mirror and keeps each cursor on the record it was on (by key, not by
// row number: a record may have moved or gone).

// refreshAll reloads everything that shows the mirror, keeping place.
func (m *model) refreshAll() tea.Cmd {
	// Cards cached or in flight describe the mirror before the change.
	m.syncGen++
	m.cards = map[string]cardResult{}
	cmds := []tea.Cmd{
		m.refreshList(paneUsers),
		m.refreshList(paneOwners),
		m.refreshContacts(),
		m.loadRecordTypes(),
		m.selectDetail(),
	}
	if m.panes[paneFindings].loaded || m.view == viewFindings {
		m.keepPlace(m.panes[paneFindings])
		cmds = append(cmds, m.loadFindings())
	}
	if m.jobs != nil {
		cmds = append(cmds, m.loadJobs())
	}
	if m.jobDetail != nil {
		cmds = append(cmds, m.loadJobDetail(m.jobDetail))
	}
	if r := m.resolution; r != nil && r.res.Input != "" {
		cmds = append(cmds, m.resolve(r.res.Input))
	}
	return tea.Batch(cmds...)
}

// keepPlace remembers the record under p's cursor for applyRows.
func (m *model) keepPlace(p *pane) {
	if r := p.current(); r != nil {
		p.keep = r.key()
	}
}

// refreshList re-reads users or owners for the current filter.
func (m *model) refreshList(k paneKind) tea.Cmd {
	m.keepPlace(m.panes[k])
	return m.reload(k)
}

// refreshContacts re-counts and re-reads the contacts window of the same
// scope and filter. Unlike reloadContacts (a new query), the rows on
// screen stay until the new ones arrive and the cursor stays put.
func (m *model) refreshContacts() tea.Cmd {
	p := m.panes[paneContacts]
	if m.scope.empty != "" {
		return nil
	}
	m.keepPlace(p)
	p.gen++
	p.scopeAt = m.scope
	m.newContactsQuery()
	return tea.Batch(m.countContacts(), m.loadWindow())
}

// applyKeep puts the cursor back on the remembered record once fresh rows
// arrive; when the record is not among them, the cursor stays at its row
// number and applyKeep returns the record's key, for a contact to be
// located beyond the loaded rows (place.go).
func (p *pane) applyKeep() (missing string) {
	if p.keep == "" {
		return ""
	}
	if i := p.indexOf(p.keep); i >= 0 {
		p.moveTo(i)
	} else {
		missing = p.keep
	}
	p.keep = ""
	return missing
}

// clearUsedMarks drops the marks a job acted on and says so: marks left
// behind would invite running the same change twice.
func (m *model) clearUsedMarks(k paneKind) {
	p := m.panes[k]
	if len(p.marks) == 0 {
		return
	}
	p.clearMarks()
	if m.msg != "" {
		m.msg += " · "
	}
	m.msg += "marks cleared: the job used them"
}
