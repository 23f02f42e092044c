package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// openDB opens (creating when missing) the SQLite file at file in WAL mode
// and applies the migrations under migrations/<schema>. Write transactions
// take the lock up front (BEGIN IMMEDIATE) so that two writers queue on the
// busy timeout instead of failing half-way.
func openDB(ctx context.Context, file, schema string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)") // another process's sync may hold the lock for seconds
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, schema); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies every migrations/<schema>/NNNN_*.sql file whose number is
// above the database's user_version, each in its own transaction.
func migrate(ctx context.Context, db *sql.DB, schema string) error {
	dir := path.Join("migrations", schema)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	type step struct {
		version int
		name    string
	}
	var steps []step
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return fmt.Errorf("migration %s/%s: name must be NNNN_description.sql", schema, e.Name())
		}
		steps = append(steps, step{v, e.Name()})
	}
	slices.SortFunc(steps, func(a, b step) int { return a.version - b.version })

	var current int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	for _, s := range steps {
		if s.version <= current {
			continue
		}
		body, err := migrations.ReadFile(path.Join(dir, s.name))
		if err != nil {
			return err
		}
		if err := inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(s.version))
			return err
		}); err != nil {
			return fmt.Errorf("migration %s/%s: %w", schema, s.name, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil. The
// transactions of one process on one database take turns on a mutex
// before SQLite's lock: a full sync writes contacts, records and
// associations at once, and one of its transactions (the search index
// rebuilt over a million contacts) can hold the lock longer than the busy
// timeout lets another wait. Other processes still queue on the timeout.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	mu := writeTurn(db)
	mu.Lock()
	defer mu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// execInTx runs one statement in a transaction of its own, taking its turn
// as inTx does.
func execInTx(ctx context.Context, db *sql.DB, query string) error {
	return inTx(ctx, db, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query)
		return err
	})
}

// writeTurns holds each open database's write mutex, by *sql.DB.
var writeTurns sync.Map

func writeTurn(db *sql.DB) *sync.Mutex {
	mu, _ := writeTurns.LoadOrStore(db, &sync.Mutex{})
	return mu.(*sync.Mutex)
}

// fullCheckLimit is the largest mirror checked page by page at every open.
// Reading every page of a million-contact mirror takes seconds, which the
// console's first frame cannot afford; bigger mirrors get their small tables
// checked whole and their contacts probed, and damage deeper in the
// contacts shows as a query error that names the fix.
const fullCheckLimit = 32 << 20

// checkIntegrity runs SQLite's quick check: of every page for a mirror up
// to fullCheckLimit bytes, else of every table but the contacts and their
// search index.
func checkIntegrity(ctx context.Context, db *sql.DB, size int64) error {
	if size <= fullCheckLimit {
		return quickCheck(ctx, db, "PRAGMA quick_check")
	}
	for _, table := range []string{"sync_state", "sync_ranges", "users", "user_roles", "user_teams", "roles", "teams", "owners", "owner_teams", "crm_users", "owner_contact_counts", "object_types", "owner_properties"} {
		if err := quickCheck(ctx, db, "PRAGMA quick_check("+table+")"); err != nil {
			return err
		}
	}
	// The first and last pages of the contacts' B-tree must read.
	var first, last sql.NullString
	return db.QueryRowContext(ctx, "SELECT (SELECT id FROM contacts ORDER BY rowid LIMIT 1), (SELECT id FROM contacts ORDER BY rowid DESC LIMIT 1)").Scan(&first, &last)
}

func quickCheck(ctx context.Context, db *sql.DB, pragma string) error {
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems[:min(3, len(problems))], "; "))
	}
	return nil
}
