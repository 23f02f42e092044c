package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// CompleteItem sets an item's final state and error message (empty for
// none) together with its outcome: what HubSpot reported after the write.
func (j *Journal) CompleteItem(ctx context.Context, jobID int64, seq int, state, errMsg string, outcome json.RawMessage) error {
	res, err := j.db.ExecContext(ctx, `UPDATE job_items SET state = ?, error = ?, outcome = ?, updated_at = ? WHERE job_id = ? AND seq = ?`,
		state, errMsg, jsonOrNull(outcome), time.Now().UnixMilli(), jobID, seq)
	if err != nil {
		return err
	}
	return expectOneRow(res, "job has no such item")
}

// ItemOutcome is the outcome CompleteItem recorded; JSON null when none.
func (j *Journal) ItemOutcome(ctx context.Context, jobID int64, seq int) (json.RawMessage, error) {
	var s string
	err := j.db.QueryRowContext(ctx, `SELECT outcome FROM job_items WHERE job_id = ? AND seq = ?`, jobID, seq).Scan(&s)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	return json.RawMessage(s), err
}
