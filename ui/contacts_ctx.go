package ui

import "context"

// Every keystroke of a contacts filter starts a new query; on a large
// mirror the count of the one before may still be running. Its answer
// would be dropped (a superseded generation) but it would go on taking CPU
// from the newest query, so a new query cancels the queries of the last.

// newContactsQuery cancels the contacts queries in flight and returns the
// context of the next ones; call it when the pane's generation moves on.
func (m *model) newContactsQuery() {
	if m.contactsCancel != nil {
		m.contactsCancel()
	}
	m.contactsCtx, m.contactsCancel = context.WithCancel(m.ctx)
}

// contactsContext is the context of the current contacts query.
func (m *model) contactsContext() context.Context {
	if m.contactsCtx == nil {
		return m.ctx
	}
	return m.contactsCtx
}
