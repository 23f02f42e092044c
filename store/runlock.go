package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// ErrJobBusy is returned when another process is running the job.
var ErrJobBusy = errors.New("another hsadmin process is running this job")

// runLockDir holds one lock file per job being run, beside the journal.
const runLockDir = "running"

// RunClaim is this process's claim on a running job: a lock on a file beside
// the journal that the operating system lets go of when the process ends,
// however it ends. A job in state running whose lock nobody holds was left
// by a process that is gone (see SettleAbandoned).
type RunClaim struct {
	j     *Journal
	jobID int64
	file  *os.File
}

func (j *Journal) runLockPath(jobID int64) string {
	return filepath.Join(j.dir, runLockDir, strconv.FormatInt(jobID, 10)+".lock")
}

// ClaimRun takes the job's run lock and sets the job running. Finish the
// claim with the state the run ended in.
func (j *Journal) ClaimRun(ctx context.Context, jobID int64) (*RunClaim, error) {
	path := j.runLockPath(jobID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the run lock of job %d: %w", jobID, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the run lock of job %d: %w", jobID, err)
	}
	locked, err := tryLock(f)
	if err != nil || !locked {
		f.Close()
		if err == nil {
			err = ErrJobBusy
		}
		return nil, fmt.Errorf("job %d: %w", jobID, err)
	}
	if err := j.FinishJob(ctx, jobID, JobRunning); err != nil {
		unlock(f)
		f.Close()
		return nil, err
	}
	return &RunClaim{j: j, jobID: jobID, file: f}, nil
}

// Finish records the state the run ended in, then lets go of the lock. The
// state is written first: whoever sees the lock free also sees the job no
// longer running.
func (c *RunClaim) Finish(ctx context.Context, state string) error {
	err := c.j.FinishJob(ctx, c.jobID, state)
	if err == nil {
		os.Remove(c.file.Name())
	}
	unlock(c.file)
	c.file.Close()
	return err
}

// SettleAbandoned marks interrupted every job left running by a process
// that is gone: killed, crashed, or stopped at a second Ctrl+C. Its items
// keep their states, so that the job's outcome says what is left and a
// resume (or the next start's check of team changes) finishes it.
func (j *Journal) SettleAbandoned(ctx context.Context) error {
	rows, err := j.db.QueryContext(ctx, `SELECT id FROM jobs WHERE state = ?`, JobRunning)
	if err != nil {
		return err
	}
	var running []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		running = append(running, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range running {
		gone, err := j.runnerGone(id)
		if err != nil || !gone {
			continue // cannot tell: leave it as it is
		}
		// Only if still running: its runner may just have finished it.
		if _, err := j.db.ExecContext(ctx, `UPDATE jobs SET state = ? WHERE id = ? AND state = ?`, JobInterrupted, id, JobRunning); err != nil {
			return err
		}
	}
	return nil
}

// runnerGone reports whether no process holds the job's run lock. A job
// running without a lock file was claimed by no process that still runs it
// (or by a version of hsadmin before run locks).
func (j *Journal) runnerGone(jobID int64) (bool, error) {
	if !runLocks {
		return false, nil
	}
	path := j.runLockPath(jobID)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	locked, err := tryLock(f)
	if err != nil || !locked {
		return false, err
	}
	defer unlock(f)
	// The lock is free, but it may be on a file a finished run removed and
	// a new run replaced meanwhile: only the file still at path counts.
	held, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Stat(path)
	if err != nil {
		return errors.Is(err, os.ErrNotExist), nil
	}
	return os.SameFile(held, now), nil
}
