package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Journal records every write hsadmin sends to a portal, before it is sent,
// so that an interrupted job can be resumed and a finished one undone. It
// lives in its own file beside the mirror and is never rebuilt.
type Journal struct {
	db  *sql.DB
	dir string // the portal directory: run locks live beside the file
}

// Job states.
const (
	JobPlanned   = "planned"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// Item states.
const (
	ItemPending = "pending"
	ItemSent    = "sent" // the request left; the outcome is not known yet
	ItemDone    = "done"
	ItemFailed  = "failed"
	ItemSkipped = "skipped"
)

// Job is one planned change to a portal, made of items.
type Job struct {
	ID        int64
	Kind      string
	CreatedAt time.Time
	State     string
	Summary   string
	Plan      json.RawMessage
}

// JobItem is one write of a job: the record it changes, its state before
// and the state asked for.
type JobItem struct {
	JobID     int64
	Seq       int
	SubjectID string
	Before    json.RawMessage
	After     json.RawMessage
	State     string
	Error     string
	Outcome   json.RawMessage // what HubSpot reported after the write; JSON null when nothing was recorded
	// CorrelationID is HubSpot's correlationId of the request that failed
	// the item; "" when none.
	CorrelationID string
	UpdatedAt     time.Time
}

// OpenJournal opens dir/journal.db, creating dir and the file when missing.
func OpenJournal(ctx context.Context, dir string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the portal directory: %w", err)
	}
	file := filepath.Join(dir, JournalFile)
	db, err := openDB(ctx, file, "journal")
	if err != nil {
		// Unlike the mirror, the journal is not a cache: it is never moved
		// aside or rebuilt behind the admin's back.
		return nil, fmt.Errorf("cannot open the journal %s (%w); it is left untouched, as it records every change made to HubSpot: "+
			"restore it from a backup, or move it aside to start a new one (its jobs then cannot be resumed or undone)", file, err)
	}
	j := &Journal{db: db, dir: dir}
	// A job a killed process left running is interrupted: say so now,
	// before anything lists it.
	if err := j.SettleAbandoned(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot check the journal %s for jobs a stopped process left running: %w", file, err)
	}
	return j, nil
}

// Close closes the journal.
func (j *Journal) Close() error {
	writeTurns.Delete(j.db)
	return j.db.Close()
}

// CreateJob records a new job in state JobPlanned and returns its ID.
func (j *Journal) CreateJob(ctx context.Context, kind, summary string, plan json.RawMessage) (int64, error) {
	if len(plan) == 0 {
		plan = json.RawMessage("null")
	}
	res, err := j.db.ExecContext(ctx,
		`INSERT INTO jobs (kind, created_at, state, summary, plan) VALUES (?, ?, ?, ?, ?)`,
		kind, time.Now().UnixMilli(), JobPlanned, summary, string(plan))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// AddItems appends items to a job in one transaction, numbering them after
// the job's existing items, all in state ItemPending. JobID, Seq, State and
// UpdatedAt of the arguments are ignored.
func (j *Journal) AddItems(ctx context.Context, jobID int64, items []JobItem) error {
	return inTx(ctx, j.db, func(tx *sql.Tx) error {
		var next int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM job_items WHERE job_id = ?`, jobID).Scan(&next); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO job_items (job_id, seq, subject_id, before, after, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := time.Now().UnixMilli()
		for _, it := range items {
			next++
			if _, err := stmt.ExecContext(ctx, jobID, next, it.SubjectID, jsonOrNull(it.Before), jsonOrNull(it.After), ItemPending, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkItem sets an item's state and error message (empty for none).
func (j *Journal) MarkItem(ctx context.Context, jobID int64, seq int, state, errMsg string) error {
	res, err := j.db.ExecContext(ctx, `UPDATE job_items SET state = ?, error = ?, updated_at = ? WHERE job_id = ? AND seq = ?`,
		state, errMsg, time.Now().UnixMilli(), jobID, seq)
	if err != nil {
		return err
	}
	return expectOneRow(res, fmt.Sprintf("job %d has no item %d", jobID, seq))
}

// FinishJob (or any state change of a job) sets its state.
func (j *Journal) FinishJob(ctx context.Context, jobID int64, state string) error {
	res, err := j.db.ExecContext(ctx, `UPDATE jobs SET state = ? WHERE id = ?`, state, jobID)
	if err != nil {
		return err
	}
	return expectOneRow(res, fmt.Sprintf("there is no job %d", jobID))
}

// Jobs lists jobs, newest first.
func (j *Journal) Jobs(ctx context.Context) ([]Job, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT id, kind, created_at, state, summary, plan FROM jobs ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var jb Job
		var created int64
		var plan string
		if err := rows.Scan(&jb.ID, &jb.Kind, &created, &jb.State, &jb.Summary, &plan); err != nil {
			return nil, err
		}
		jb.CreatedAt, jb.Plan = time.UnixMilli(created), json.RawMessage(plan)
		out = append(out, jb)
	}
	return out, rows.Err()
}

// JobItems lists a job's items in order.
func (j *Journal) JobItems(ctx context.Context, jobID int64) ([]JobItem, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT job_id, seq, subject_id, before, after, state, error, outcome, correlation_id, updated_at FROM job_items WHERE job_id = ? ORDER BY seq`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JobItem
	for rows.Next() {
		var it JobItem
		var before, after, outcome string
		var updated int64
		if err := rows.Scan(&it.JobID, &it.Seq, &it.SubjectID, &before, &after, &it.State, &it.Error, &outcome, &it.CorrelationID, &updated); err != nil {
			return nil, err
		}
		it.Before, it.After, it.UpdatedAt = json.RawMessage(before), json.RawMessage(after), time.UnixMilli(updated)
		it.Outcome = json.RawMessage(outcome)
		out = append(out, it)
	}
	return out, rows.Err()
}

func jsonOrNull(b json.RawMessage) string {
	if len(b) == 0 {
		return "null"
	}
	return string(b)
}

func expectOneRow(res sql.Result, notFound string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s", notFound)
	}
	return nil
}
