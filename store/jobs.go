package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// JobInterrupted is a job that stopped before its end for a reason other
// than a person cancelling it (the network, HubSpot's daily quota, an
// exhausted retry budget). Like a job left running or planned by a crash,
// it can be resumed or rolled back.
const JobInterrupted = "interrupted"

// JobUndone is the state journals written before outcomes were counted
// from the items gave a job once an undo of it was recorded, whatever the
// undo then did. Nothing writes it any more; whether a job is undone is
// worked out from its undos' items (portal.JobSummary.Status).
const JobUndone = "undone"

// Unfinished reports whether a job in this state still has work a resume
// could do.
func Unfinished(state string) bool {
	switch state {
	case JobPlanned, JobRunning, JobInterrupted, JobCancelled:
		return true
	}
	return false
}

// ErrNoSuchJob is returned for a job ID the journal does not hold.
var ErrNoSuchJob = errors.New("no such job in the journal")

// Job reads one job; ErrNoSuchJob when there is none with that ID.
func (j *Journal) Job(ctx context.Context, id int64) (Job, error) {
	var jb Job
	var created int64
	var plan string
	err := j.db.QueryRowContext(ctx, `SELECT id, kind, created_at, state, summary, plan FROM jobs WHERE id = ?`, id).
		Scan(&jb.ID, &jb.Kind, &created, &jb.State, &jb.Summary, &plan)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, fmt.Errorf("job %d: %w", id, ErrNoSuchJob)
	}
	if err != nil {
		return Job{}, err
	}
	jb.CreatedAt, jb.Plan = time.UnixMilli(created), json.RawMessage(plan)
	return jb, nil
}

// ItemMark is a new state for one item of a job.
type ItemMark struct {
	Seq   int
	State string
	Error string
	// CorrelationID is HubSpot's correlationId of the failed request, for
	// HubSpot support; "" when HubSpot gave none.
	CorrelationID string
}

// MarkItems sets the states of many items of a job in one transaction, so
// that a batch's outcome is recorded whole or not at all.
func (j *Journal) MarkItems(ctx context.Context, jobID int64, marks []ItemMark) error {
	return j.MarkItemsWithOutcomes(ctx, jobID, marks, nil)
}

// MarkItemsWithOutcomes is MarkItems that also records the outcomes given
// (by item seq: what HubSpot reported after the write) in the same
// transaction; items without one keep theirs.
func (j *Journal) MarkItemsWithOutcomes(ctx context.Context, jobID int64, marks []ItemMark, outcomes map[int]json.RawMessage) error {
	if len(marks) == 0 {
		return nil
	}
	return inTx(ctx, j.db, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE job_items SET state = ?, error = ?, correlation_id = ?, outcome = COALESCE(?, outcome), updated_at = ? WHERE job_id = ? AND seq = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := time.Now().UnixMilli()
		for _, m := range marks {
			var outcome any // NULL keeps the recorded outcome
			if o := outcomes[m.Seq]; len(o) > 0 {
				outcome = string(o)
			}
			res, err := stmt.ExecContext(ctx, m.State, m.Error, m.CorrelationID, outcome, now, jobID, m.Seq)
			if err != nil {
				return err
			}
			if err := expectOneRow(res, fmt.Sprintf("job %d has no item %d", jobID, m.Seq)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ItemCounts counts a job's items by state.
type ItemCounts struct {
	Total, Pending, Sent, Done, Failed, Skipped int
	LastUpdate                                  time.Time // the latest item change; zero without items
}

// JobItemCounts counts the items of every job by state, keyed by job ID.
func (j *Journal) JobItemCounts(ctx context.Context) (map[int64]ItemCounts, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT job_id, state, count(*), MAX(updated_at) FROM job_items GROUP BY job_id, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ItemCounts{}
	for rows.Next() {
		var id, last int64
		var state string
		var n int
		if err := rows.Scan(&id, &state, &n, &last); err != nil {
			return nil, err
		}
		c := out[id]
		c.Total += n
		switch state {
		case ItemPending:
			c.Pending += n
		case ItemSent:
			c.Sent += n
		case ItemDone:
			c.Done += n
		case ItemFailed:
			c.Failed += n
		case ItemSkipped:
			c.Skipped += n
		}
		if t := time.UnixMilli(last); t.After(c.LastUpdate) {
			c.LastUpdate = t
		}
		out[id] = c
	}
	return out, rows.Err()
}

// ContactSelection picks contacts of the mirror for a bulk change. The
// criteria combine with AND; the zero value selects every contact.
type ContactSelection struct {
	OwnerID       hubspot.OwnerID // only this hubspot_owner_id
	Filter        string          // case-insensitive substring over name, email and ID
	ArchivedOwner bool            // only contacts held by archived owners
	UnknownOwner  bool            // only contacts whose owner ID matches no owner
}

// SelectContacts lists the contacts sel picks, in ID order, without a limit:
// a bulk change must see every one of them.
func (m *Mirror) SelectContacts(ctx context.Context, sel ContactSelection) ([]ContactRow, error) {
	rows, err := m.db.QueryContext(ctx, `
		SELECT `+contactColumns+`
		FROM contacts c
		`+contactJoin+`
		WHERE (?1 = '' OR instr(c.search, ?1) > 0)
		  AND (?2 = '' OR c.owner_id = ?2)
		  AND (?3 = 0 OR o.archived = 1)
		  AND (?4 = 0 OR (c.owner_id <> '' AND o.id IS NULL))
		ORDER BY c.id`,
		Query{Filter: sel.Filter}.needle(), string(sel.OwnerID), boolInt(sel.ArchivedOwner), boolInt(sel.UnknownOwner))
	if err != nil {
		return nil, err
	}
	return scanContactRows(rows)
}

// ContactsByID reads the contacts with the given IDs, in ID order; IDs the
// mirror does not hold are returned in missing, in the order given.
func (m *Mirror) ContactsByID(ctx context.Context, ids []hubspot.ContactID) (found []ContactRow, missing []hubspot.ContactID, err error) {
	const chunk = 500 // well under SQLite's limit on bound parameters
	seen := map[hubspot.ContactID]bool{}
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, 0, len(part))
		for _, id := range part {
			n, perr := strconv.ParseInt(string(id), 10, 64)
			if perr != nil {
				continue // not a contact ID at all: reported as missing below
			}
			args = append(args, n)
		}
		if len(args) == 0 {
			continue
		}
		rows, err := m.db.QueryContext(ctx, `
			SELECT `+contactColumns+`
			FROM contacts c
			`+contactJoin+`
			WHERE c.id IN (?`+strings.Repeat(", ?", len(args)-1)+`)
			ORDER BY c.id`, args...)
		if err != nil {
			return nil, nil, err
		}
		got, err := scanContactRows(rows)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range got {
			seen[c.ContactID] = true
		}
		found = append(found, got...)
	}
	for _, id := range ids {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	return found, missing, nil
}

func scanContactRows(rows *sql.Rows) ([]ContactRow, error) {
	defer rows.Close()
	var out []ContactRow
	for rows.Next() {
		var c ContactRow
		var first, last string
		var modified int64
		var archived sql.NullInt64
		if err := rows.Scan(&c.ContactID, &first, &last, &c.Email, &c.OwnerID, &modified, &c.OwnerName, &archived); err != nil {
			return nil, err
		}
		c.Name = strings.TrimSpace(first + " " + last)
		c.LastModified = time.UnixMilli(modified).UTC()
		c.OwnerState = contactOwnerState(c.OwnerID, archived)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ContactOwner is a contact's hubspot_owner_id as HubSpot now has it.
type ContactOwner struct {
	ContactID hubspot.ContactID
	OwnerID   hubspot.OwnerID
}

// SetContactOwners records new owners of contacts after a write HubSpot
// confirmed, in one transaction, so that the console shows them without a
// sync. Contacts the mirror does not hold are ignored.
func (m *Mirror) SetContactOwners(ctx context.Context, owners []ContactOwner) error {
	if len(owners) == 0 {
		return nil
	}
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE contacts SET owner_id = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, o := range owners {
			id, err := strconv.ParseInt(string(o.ContactID), 10, 64)
			if err != nil {
				continue
			}
			if _, err := stmt.ExecContext(ctx, string(o.OwnerID), id); err != nil {
				return err
			}
		}
		return nil
	})
}
