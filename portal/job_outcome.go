package portal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hsadmin/hsadmin/store"
)

// Statuses of a job that an undo reversed, in full or in part. They are
// never stored: JobSummary.Status works them out from the items.
const (
	StatusUndone          = "undone"           // every change is back (or given to another owner, as the admin chose)
	StatusPartlyUndone    = "partly undone"    // some changes are back, the others are not
	StatusUndoFailed      = "undo failed"      // an undo ran and put nothing back
	StatusUndoCancelled   = "undo cancelled"   // the latest undo was cancelled with contacts left
	StatusUndoInterrupted = "undo interrupted" // the latest undo stopped (killed, lost network) with contacts left
	StatusUndoing         = "undoing"          // the latest undo is running now
)

// UndoState is how far the undos of a job have put its changes back,
// counted from the items (store.UndoAccount).
type UndoState struct {
	store.UndoAccount
	Jobs      []int64 // the undos of the job, oldest first
	LastState string  // the stored state of the latest undo
	LastLeft  int     // the latest undo's contacts still to send
}

// Changed is how many items the job changed, or may have changed (sent, the
// outcome unknown): what an undo has to put back.
func (j JobSummary) Changed() int { return j.Items.Done + j.Items.Sent }

// NotBack is how many of the job's changes no undo has settled yet.
func (j JobSummary) NotBack() int {
	return max(j.Changed()-j.Undo.Back-j.Undo.Elsewhere, 0)
}

// Status is the job's state in one word or two: the stored state of its run
// (planned, running, done, failed, cancelled, interrupted) until an undo
// reverses it; then what its items show: undone only when every change is
// back, else partly undone, undo failed, or what stopped the latest undo.
func (j JobSummary) Status() string {
	if j.Kind == KindOffboard {
		return j.offboardStatus()
	}
	if len(j.Undo.Jobs) == 0 {
		if j.State == store.JobUndone {
			return store.JobDone // a journal written before statuses came from the items, without its undo
		}
		return j.State
	}
	settled := j.Undo.Back + j.Undo.Elsewhere
	switch {
	case j.NotBack() == 0:
		return StatusUndone
	case j.Undo.LastState == store.JobRunning:
		return StatusUndoing
	case j.Undo.LastLeft > 0 && j.Undo.LastState == store.JobCancelled:
		return StatusUndoCancelled
	case j.Undo.LastLeft > 0:
		return StatusUndoInterrupted
	case settled == 0:
		return StatusUndoFailed
	}
	return StatusPartlyUndone
}

// Outcome is a short account of the job, e.g. "done: 340 changed, 2 failed"
// or "partly undone: 56 changed; 50 back, 6 not back (undo job 2)". Every
// number is counted from the items.
func (j JobSummary) Outcome() string {
	if j.Kind == KindOffboard {
		return j.offboardOutcome()
	}
	s := j.Status() + ": " + Thousands(j.Items.Done) + " changed"
	if j.Items.Sent > 0 {
		s += ", " + Thousands(j.Items.Sent) + " unknown"
	}
	if j.Items.Failed > 0 {
		s += ", " + Thousands(j.Items.Failed) + " failed"
	}
	if j.Items.Skipped > 0 {
		s += ", " + Thousands(j.Items.Skipped) + " skipped"
	}
	if j.Items.Pending > 0 {
		s += ", " + Thousands(j.Items.Pending) + " left"
	}
	if len(j.Undo.Jobs) == 0 {
		return s
	}
	return s + "; " + j.undoAccount()
}

// undoAccount is the part of Outcome about the job's undos.
func (j JobSummary) undoAccount() string {
	var parts []string
	switch {
	case j.Undo.Back == j.Changed():
		parts = append(parts, "all back")
	case j.Undo.Back > 0:
		parts = append(parts, Thousands(j.Undo.Back)+" back")
	}
	if j.Undo.Elsewhere > 0 {
		parts = append(parts, Thousands(j.Undo.Elsewhere)+" to another owner instead")
	}
	if n := j.NotBack(); n > 0 {
		if j.Undo.Back+j.Undo.Elsewhere == 0 {
			parts = append(parts, "none back")
		} else {
			parts = append(parts, Thousands(n)+" not back")
		}
	}
	s := strings.Join(parts, ", ") + " (" + undoJobs(j.Undo.Jobs) + ")"
	if j.Undo.LastLeft > 0 && j.Undo.LastState != store.JobRunning {
		s += fmt.Sprintf("; undo job %d stopped with %s left", j.UndoneBy, Thousands(j.Undo.LastLeft))
	}
	return s
}

func undoJobs(ids []int64) string {
	if len(ids) == 1 {
		return "undo job " + strconv.FormatInt(ids[0], 10)
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "undo jobs " + strings.Join(parts, ", ")
}
