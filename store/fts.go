package store

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"
)

// BeginBulkContacts marks the contacts search index stale before a full
// sync writes contacts in bulk: per-row upkeep would slow it several times
// over. Queries fall back to scanning until EndBulkContacts.
func (m *Mirror) BeginBulkContacts(ctx context.Context) error {
	return execInTx(ctx, m.db, `UPDATE fts_state SET stale = 1`)
}

// EndBulkContacts rebuilds the contacts search index from the contacts
// table and marks it current.
func (m *Mirror) EndBulkContacts(ctx context.Context) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE fts_state SET stale = 0`)
		return err
	})
}

// ftsUsable reports whether needle can be looked up in the trigram index:
// the index must be current, and trigrams need three characters.
func (m *Mirror) ftsUsable(ctx context.Context, needle string) (bool, error) {
	// FTS5's query parser stops at a NUL byte and reports an unterminated
	// string; such a needle is looked up by scanning instead.
	if utf8.RuneCountInString(needle) < 3 || strings.ContainsRune(needle, 0) {
		return false, nil
	}
	var stale int
	if err := m.db.QueryRowContext(ctx, `SELECT stale FROM fts_state`).Scan(&stale); err != nil {
		return false, err
	}
	return stale == 0, nil
}

// ftsPhrase quotes needle as one FTS5 phrase: with the trigram tokenizer,
// a phrase matches exactly where needle is a substring.
func ftsPhrase(needle string) string {
	return `"` + strings.ReplaceAll(needle, `"`, `""`) + `"`
}
