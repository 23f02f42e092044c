package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// UndoAccount says how far the undos of a job have put its changes back.
// It is counted from the items of the job and of its undos, matched by the
// record they change, never written down on its own: it cannot disagree
// with them.
type UndoAccount struct {
	Back      int // items an undo set back to exactly their state before the job
	Elsewhere int // items an undo set to something else instead, as the admin chose
}

// undoneItem is an item of job o that an undo (a job of the kind whose plan
// names o in undoOf) has settled done for the same record.
//
// A contact HubSpot had merged into another is put back under its
// survivor's ID (the item's outcome names it as merged.into), and the undo
// aims at the survivor's owner before the job: settled, it is back.
const undoneItem = `EXISTS (
	SELECT 1 FROM jobs u JOIN job_items ui ON ui.job_id = u.id
	WHERE u.kind = ?1 AND json_extract(u.plan, '$.undoOf') = o.job_id
	  AND (ui.subject_id = o.subject_id OR ui.subject_id = json_extract(o.outcome, '$.merged.into'))
	  AND ui.state = 'done'%s)`

// backItem narrows undoneItem to undos that set the record back to exactly
// its state before the job. An owner property other than hubspot_owner_id
// journals the owner ID it replaces beside the whole value: it is back when
// the undo set that owner again, whatever else a multi-select holds now.
const backItem = " AND (ui.after = o.before OR json_extract(o.outcome, '$.merged.into') IS NOT NULL" +
	" OR (json_extract(o.before, '$.owner') IS NOT NULL AND json_extract(ui.after, '$.owner') = json_extract(o.before, '$.owner')))"

// UndoAccounts counts, for every job of kind an undo of the same kind has
// reversed at least in part, its changed items (done, or sent with the
// outcome unknown) that are back and those set elsewhere.
func (j *Journal) UndoAccounts(ctx context.Context, kind string) (map[int64]UndoAccount, error) {
	return j.undoAccounts(ctx, kind, fmt.Sprintf(undoneItem, backItem))
}

// SettledUndoAccounts is UndoAccounts for kinds whose undo items aim at
// exactly the state the journal recorded before the job (team and role
// changes: the undo plans the journalled teams or primary role and settles
// an item done only once the read-back matches): every settled item is
// back, none elsewhere. Their before and after documents differ in shape,
// so UndoAccounts' comparison of the two cannot be used.
func (j *Journal) SettledUndoAccounts(ctx context.Context, kind string) (map[int64]UndoAccount, error) {
	return j.undoAccounts(ctx, kind, fmt.Sprintf(undoneItem, ""))
}

// undoAccounts counts the items for which back holds as back, and the
// other settled ones as elsewhere.
func (j *Journal) undoAccounts(ctx context.Context, kind, back string) (map[int64]UndoAccount, error) {
	settled := fmt.Sprintf(undoneItem, "")
	rows, err := j.db.QueryContext(ctx, `
		SELECT o.job_id,
		       SUM(CASE WHEN `+back+` THEN 1 ELSE 0 END),
		       SUM(CASE WHEN NOT `+back+` AND `+settled+` THEN 1 ELSE 0 END)
		FROM job_items o
		WHERE o.state IN ('done', 'sent')
		  AND o.job_id IN (SELECT json_extract(plan, '$.undoOf') FROM jobs WHERE kind = ?1)
		GROUP BY o.job_id`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]UndoAccount{}
	for rows.Next() {
		var id int64
		var a UndoAccount
		if err := rows.Scan(&id, &a.Back, &a.Elsewhere); err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, rows.Err()
}

// UndoneItems lists the items of a job that its undos (jobs of kind) have
// settled, back or elsewhere: a later undo leaves them out.
func (j *Journal) UndoneItems(ctx context.Context, kind string, jobID int64) (map[int]bool, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT o.seq FROM job_items o WHERE o.job_id = ?2 AND `+fmt.Sprintf(undoneItem, ""), kind, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var seq int
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		out[seq] = true
	}
	return out, rows.Err()
}

// SupersedeItems settles the items of a job in one of states (pending, or
// pending and sent) as skipped with reason: another job has taken them over
// (an undo rolling back an unfinished job, or a newer undo covering what an
// unfinished one left), so that nothing resumes them twice.
func (j *Journal) SupersedeItems(ctx context.Context, jobID int64, reason string, states ...string) (int, error) {
	if len(states) == 0 {
		return 0, nil
	}
	args := []any{ItemSkipped, reason, time.Now().UnixMilli(), jobID}
	for _, s := range states {
		args = append(args, s)
	}
	res, err := j.db.ExecContext(ctx, `UPDATE job_items SET state = ?, error = ?, updated_at = ? WHERE job_id = ? AND state IN (?`+
		strings.Repeat(", ?", len(states)-1)+`)`, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
