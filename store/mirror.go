package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Mirror is the local copy of one portal: the Settings users, roles, teams,
// owners, CRM user records and contacts, plus where the last sync got to.
// It is safe for concurrent use; writes are serialised by SQLite.
type Mirror struct {
	db   *sql.DB
	path string
}

// OpenMirror opens dir/mirror.db, creating dir and the file when missing.
// A file that cannot be opened or fails SQLite's quick check is renamed
// aside (mirror.db.broken-<timestamp>) and a fresh one is created; notice
// then says so, for the caller to print. The journal beside it is never
// touched.
func OpenMirror(ctx context.Context, dir string) (m *Mirror, notice string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("cannot create the portal directory: %w", err)
	}
	file := filepath.Join(dir, MirrorFile)
	db, openErr := openMirrorFile(ctx, file)
	if openErr == nil {
		return &Mirror{db: db, path: file}, "", nil
	}
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	aside, err := moveAside(file)
	if err != nil {
		return nil, "", fmt.Errorf("the local mirror %s is damaged (%v) and could not be moved aside: %w", file, openErr, err)
	}
	db, err = openMirrorFile(ctx, file)
	if err != nil {
		return nil, "", fmt.Errorf("cannot create a new local mirror at %s: %w", file, err)
	}
	notice = fmt.Sprintf("The local mirror was damaged (%v); it was moved to %s and a new one was created. "+
		"A full sync will refill it; the journal of changes was not touched.", openErr, aside)
	return &Mirror{db: db, path: file}, notice, nil
}

func openMirrorFile(ctx context.Context, file string) (*sql.DB, error) {
	db, err := openDB(ctx, file, "mirror")
	if err != nil {
		return nil, err
	}
	var size int64
	if st, err := os.Stat(file); err == nil {
		size = st.Size()
	}
	if err := checkIntegrity(ctx, db, size); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// moveAside renames a damaged database and its WAL files out of the way.
func moveAside(file string) (string, error) {
	aside := file + ".broken-" + time.Now().UTC().Format("20060102T150405.000000000")
	if err := os.Rename(file, aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Rename(file+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return aside, nil
}

// Path is the mirror's file name.
func (m *Mirror) Path() string { return m.path }

// Close closes the mirror.
func (m *Mirror) Close() error {
	writeTurns.Delete(m.db)
	return m.db.Close()
}
