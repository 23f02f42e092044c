package store

import (
	"context"
	"testing"
)

// A job whose run lock is held (by this process or another) stays running;
// one whose runner is gone, its lock let go or never taken, is interrupted
// at the next look and at the next open of the journal.
func TestSettleAbandonedMarksOnlyJobsWhoseRunnerIsGone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	j, err := OpenJournal(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	newJob := func() int64 {
		id, err := j.CreateJob(ctx, "reassign", "a job", nil)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	live, dead, unclaimed := newJob(), newJob(), newJob()
	held, err := j.ClaimRun(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.ClaimRun(ctx, live); err == nil {
		t.Fatal("a job was claimed twice")
	}
	gone, err := j.ClaimRun(ctx, dead)
	if err != nil {
		t.Fatal(err)
	}
	if err := gone.Finish(ctx, JobRunning); err != nil { // the lock goes, the state stays: a killed process
		t.Fatal(err)
	}
	if err := j.FinishJob(ctx, unclaimed, JobRunning); err != nil { // a version of hsadmin before run locks
		t.Fatal(err)
	}

	again, err := OpenJournal(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for id, want := range map[int64]string{live: JobRunning, dead: JobInterrupted, unclaimed: JobInterrupted} {
		jb, err := again.Job(ctx, id)
		if err != nil || jb.State != want {
			t.Errorf("job %d: %s (%v), want %s", id, jb.State, err, want)
		}
	}
	if err := held.Finish(ctx, JobDone); err != nil {
		t.Fatal(err)
	}
	if err := again.SettleAbandoned(ctx); err != nil {
		t.Fatal(err)
	}
	if jb, _ := again.Job(ctx, live); jb.State != JobDone {
		t.Errorf("a finished job became %s", jb.State)
	}
}
