package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// JobResult is how a run of a job ended.
type JobResult struct {
	JobID                        int64
	State                        string // store.JobDone, JobCancelled or JobInterrupted
	Total, Done, Failed, Skipped int    // items of the whole job, earlier runs included
	Left                         int    // items still to do (a cancelled or interrupted run)
	Problems                     []ItemProblem
}

// ItemProblem is an item of a run that failed or was skipped, and why.
type ItemProblem struct {
	ContactID hubspot.ContactID // set for contacts
	State     string            // store.ItemFailed or ItemSkipped
	Reason    string            // HubSpot's message, or what changed meanwhile

	Type     hubspot.ObjectType // "" reads as contacts
	RecordID hubspot.RecordID
	Property string // "" reads as hubspot_owner_id
}

// maxProblems bounds JobResult.Problems; the journal has every one.
const maxProblems = 200

// Tuning of runs; tests shorten the waits.
var (
	reassignWorkers  = 4 // batches in flight at once, all within the client's rate limiter
	reassignAttempts = 8 // tries of one batch before the job stops as interrupted
	jobSleep         = hubspot.SleepContext
	jobBackoff       = func(attempt int) time.Duration {
		return min(time.Second<<(attempt-1), 30*time.Second)
	}
)

// runningJobs holds the jobs running in this process, so that the console
// and a stray second call never run one job twice at once.
var runningJobs sync.Map // runKey → struct{}

type runKey struct {
	dir string
	job int64
}

// Run sends a recorded reassignment job: batches of the plan's size (100
// contacts a request by default) through the client's rate limiter, a few
// in flight at once. Each batch's items are marked sent in the journal
// before the request and settled after it: per-contact results of a 207
// are recorded, transient failures retried (after re-reading what HubSpot
// now holds, when the failure leaves the outcome unknown), and permanent
// ones recorded with HubSpot's message. The mirror's contacts follow.
//
// Cancelling ctx lets the batches in flight finish and leaves the job
// cancelled and resumable: State says how the run ended. An error means the
// job could not run or stopped early (interrupted, resumable): a lost
// network, refused credentials, the daily quota.
func (p *Portal) Run(ctx context.Context, jobID int64, progress chan<- JobProgress) (JobResult, error) {
	return p.run(ctx, jobID, false, progress)
}

// Resume continues a job a crash, a kill, a lost network or a cancel left
// unfinished. Every item not yet settled is first read back from HubSpot:
// one already at its new owner is settled without a write (nothing is
// applied twice), one whose owner someone else changed meanwhile is
// skipped and reported, and only the rest are sent.
func (p *Portal) Resume(ctx context.Context, jobID int64, progress chan<- JobProgress) (JobResult, error) {
	return p.run(ctx, jobID, true, progress)
}

func (p *Portal) run(ctx context.Context, jobID int64, resume bool, progress chan<- JobProgress) (JobResult, error) {
	if p.info.ReadOnly {
		return JobResult{}, errors.New("this portal is configured read-only: nothing can be reassigned")
	}
	key := runKey{p.info.Dir, jobID}
	if _, busy := runningJobs.LoadOrStore(key, struct{}{}); busy {
		return JobResult{}, fmt.Errorf("job %d is already running", jobID)
	}
	defer runningJobs.Delete(key)

	jb, head, items, err := p.loadReassignJob(ctx, jobID)
	if err != nil {
		return JobResult{}, err
	}
	if !store.Unfinished(jb.State) {
		return JobResult{}, fmt.Errorf("job %d is %s: there is nothing to run", jobID, jb.State)
	}
	if undo, err := p.undoOfJob(ctx, jobID); err != nil || undo != 0 {
		if err == nil {
			err = fmt.Errorf("job %d was rolled back by job %d: it is not resumed any more", jobID, undo)
		}
		return JobResult{}, err
	}
	r := &jobRun{
		p: p, jobID: jobID, res: JobResult{JobID: jobID, Total: len(items)},
		// A job that has started before may have been applied in part, and
		// HubSpot may have changed since: check before writing.
		verify: head.Verify || resume || jb.State != store.JobPlanned,
	}
	var todo []jobItem
	for _, it := range items {
		switch it.state {
		case store.ItemPending, store.ItemSent:
			todo = append(todo, it)
		case store.ItemDone:
			r.res.Done++
		case store.ItemFailed:
			r.res.Failed++
		case store.ItemSkipped:
			r.res.Skipped++
		}
	}
	if len(todo) == 0 {
		return JobResult{}, fmt.Errorf("job %d has nothing left to send: every %s of it is settled", jobID, itemNoun(items))
	}
	quiet := context.WithoutCancel(ctx)
	// The claim's lock outlives the process only as long as it runs: a job
	// left running by a killed process shows as interrupted at the next look.
	claim, err := p.journal.ClaimRun(ctx, jobID)
	if err != nil {
		return JobResult{}, err
	}
	r.meter = newJobMeter(progress, jobID, len(items), len(items)-len(todo))
	r.meter.counts(r.res.Failed, r.res.Skipped)
	r.meter.limitedBy(p.client, head.BatchSize)
	defer r.meter.release()

	r.execute(ctx, makeBatches(todo, head.BatchSize))

	r.res.Left = r.res.Total - r.res.Done - r.res.Failed - r.res.Skipped
	var runErr error
	switch {
	case r.fatal != nil:
		r.res.State = store.JobInterrupted
		runErr = fmt.Errorf("job %d stopped with %s left (resume it later): %w", jobID, Plural(r.res.Left, itemNoun(items)), r.fatal)
	case r.res.Left == 0:
		r.res.State = store.JobDone
	case ctx.Err() != nil:
		r.res.State = store.JobCancelled
	default:
		r.res.State = store.JobInterrupted
	}
	if err := claim.Finish(quiet, r.res.State); err != nil && runErr == nil {
		runErr = err
	}
	r.meter.finish()
	return r.res, runErr
}

// itemNoun is what a job's items are called in prose: contacts while every
// item is a contact's hubspot_owner_id, else changes.
func itemNoun(items []jobItem) string {
	for _, it := range items {
		if it.typ != hubspot.ObjectContacts || it.property != hubspot.PropOwnerID {
			return "change"
		}
	}
	return "contact"
}

// undoOfJob is the latest job undoing jobID, 0 when none.
func (p *Portal) undoOfJob(ctx context.Context, jobID int64) (int64, error) {
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return 0, err
	}
	for _, jb := range jobs { // newest first
		var head reassignJob
		if jb.Kind == KindReassign && json.Unmarshal(jb.Plan, &head) == nil && head.UndoOf == jobID {
			return jb.ID, nil
		}
	}
	return 0, nil
}

// jobRun is one run of a job.
type jobRun struct {
	p      *Portal
	jobID  int64
	verify bool
	meter  *jobMeter

	mu    sync.Mutex
	res   JobResult
	fatal error
	stop  context.CancelFunc

	journalMu sync.Mutex       // one journal commit at a time: writers queue here, not on SQLite's busy timeout
	answers   chan batchAnswer // answers for the settler (reassign_settle.go)
}

// execute feeds batches to the workers until they run out, ctx is
// cancelled, or a fatal failure stops the job. A batch a worker has taken
// is always finished.
func (r *jobRun) execute(ctx context.Context, batches [][]jobItem) {
	work, stop := context.WithCancel(ctx)
	defer stop()
	r.stop = stop
	// The settler records every answer, even after a cancel or a halt.
	finishSettling := r.startSettler(context.WithoutCancel(ctx))
	defer finishSettling()
	workers := max(reassignWorkers, 1)
	// Room for a round of batches marked ahead, so that workers find the
	// next ones ready while the feeder journals the round after.
	feed := make(chan fedBatch, workers)
	go func() {
		defer close(feed)
		r.feed(work, batches, feed, workers)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range feed {
				if work.Err() != nil {
					// The feeder may hand out a few more batches as it stops.
					r.unmarkUnsent(context.WithoutCancel(work), b)
					continue
				}
				if b.marked {
					r.sendMarked(work, b.items)
					continue
				}
				r.batch(work, b.items)
			}
		})
	}
	wg.Wait()
}

// halt stops the job: no more batches are started. Cancellation is not a
// failure.
func (r *jobRun) halt(err error) {
	if errors.Is(err, errStopped) {
		return
	}
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.mu.Unlock()
	r.stop()
}

// failure is what a failed request means for its batch.
type failure int

const (
	failPermanent failure = iota // these contacts cannot be changed as asked: record HubSpot's message
	failFatal                    // nothing more can be sent now (credentials, scopes, quota): stop the job
	failUnsent                   // refused before processing (429): send again after the wait
	failUnknown                  // the outcome is unknown (5xx, reset, cut-off answer): read back, then resend
)

// classify sorts a failed request and says how long to wait before the
// next attempt.
func classify(err error, attempt int) (failure, time.Duration) {
	var rl *hubspot.RateLimitError
	var ne *hubspot.NetworkError
	var ae *hubspot.APIError
	switch {
	case errors.As(err, &rl):
		if rl.Policy == "DAILY" || rl.RetryAfter <= 0 {
			return failFatal, 0
		}
		return failUnsent, rl.RetryAfter
	case errors.As(err, &ne):
		return failUnknown, jobBackoff(attempt)
	case errors.As(err, &ae):
		switch {
		case ae.StatusCode == 401 || ae.StatusCode == 403:
			return failFatal, 0
		case ae.StatusCode >= 500 || ae.StatusCode == 423 || ae.StatusCode == 477:
			return failUnknown, jobBackoff(attempt)
		}
		return failPermanent, 0
	}
	return failFatal, 0
}
