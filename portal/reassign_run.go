package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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

// ItemProblem is a contact of a run that failed or was skipped, and why.
type ItemProblem struct {
	ContactID hubspot.ContactID
	State     string // store.ItemFailed or ItemSkipped
	Reason    string // HubSpot's message, or what changed meanwhile
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
		return JobResult{}, fmt.Errorf("job %d has nothing left to send: every contact of it is settled", jobID)
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
		runErr = fmt.Errorf("job %d stopped with %s left (resume it later): %w", jobID, Plural(r.res.Left, "contact"), r.fatal)
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

// makeBatches cuts items into batches of at most size, each with a single
// new owner, so that HubSpot refusing one owner (a whole-batch 400) fails
// only that owner's contacts.
func makeBatches(items []jobItem, size int) [][]jobItem {
	if size <= 0 || size > DefaultReassignBatch {
		size = DefaultReassignBatch
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b jobItem) int {
		if a.after != b.after {
			if a.after < b.after {
				return -1
			}
			return 1
		}
		return a.seq - b.seq
	})
	var out [][]jobItem
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && end-start < size && sorted[end].after == sorted[start].after {
			end++
		}
		out = append(out, sorted[start:end])
		start = end
	}
	return out
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
}

// execute feeds batches to the workers until they run out, ctx is
// cancelled, or a fatal failure stops the job. A batch a worker has taken
// is always finished.
func (r *jobRun) execute(ctx context.Context, batches [][]jobItem) {
	work, stop := context.WithCancel(ctx)
	defer stop()
	r.stop = stop
	feed := make(chan []jobItem)
	go func() {
		defer close(feed)
		for _, b := range batches {
			if work.Err() != nil {
				return
			}
			select {
			case feed <- b:
			case <-work.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range max(reassignWorkers, 1) {
		wg.Go(func() {
			for b := range feed {
				if work.Err() != nil {
					continue // the feeder may hand out one more batch as it stops
				}
				r.batch(work, b)
			}
		})
	}
	wg.Wait()
}

// errStopped means a wait was cut short by cancellation: the batch's items
// stay as the journal has them, which a resume handles.
var errStopped = errors.New("stopped")

// batch sends one batch and records its outcome. ctx only cuts waits
// short; the requests and journal writes of a batch always complete.
func (r *jobRun) batch(ctx context.Context, items []jobItem) {
	quiet := context.WithoutCancel(ctx)
	send := items
	if r.verify {
		var err error
		if send, err = r.check(ctx, send); err != nil {
			r.halt(err)
			return
		}
	}
	if len(send) == 0 {
		return
	}
	if err := r.mark(quiet, send, store.ItemSent, ""); err != nil {
		r.halt(err)
		return
	}
	sent, res, err := r.send(ctx, send)
	switch {
	case len(sent) == 0:
	case err == nil:
		r.settle(quiet, sent, res)
	default:
		r.refused(ctx, sent, err, 0)
	}
}

// send sends items as one batch update, retrying as the job does. It
// returns the items HubSpot answered for (a read-back after an unknown
// outcome may settle some first) with the answer, or with a permanent
// failure (err). No items means nothing is left to record: all settled,
// the job halted, or the wait cancelled.
func (r *jobRun) send(ctx context.Context, send []jobItem) ([]jobItem, hubspot.BatchResult[hubspot.Contact], error) {
	quiet := context.WithoutCancel(ctx)
	for attempt := 1; ; attempt++ {
		inputs := make([]hubspot.BatchInput, len(send))
		for i, it := range send {
			inputs[i] = hubspot.BatchInput{ID: it.contact, Properties: hubspot.Properties{hubspot.PropOwnerID: string(it.after)}}
		}
		res, err := r.p.client.BatchUpdateContacts(quiet, inputs)
		if err == nil {
			return send, res, nil
		}
		kind, wait := classify(err, attempt)
		switch {
		case kind == failPermanent:
			return send, res, err
		case kind == failFatal:
			r.halt(err)
			return nil, res, nil
		case attempt >= reassignAttempts:
			r.halt(fmt.Errorf("gave up after %d attempts: %w", attempt, err))
			return nil, res, nil
		}
		r.meter.wait(wait, err)
		if jobSleep(ctx, wait) != nil {
			return nil, res, nil //nolint:nilerr // cancelled: the items stay sent; a resume reads them back
		}
		r.meter.wait(0, nil)
		if kind == failUnknown {
			// HubSpot may have applied the batch before the answer was lost:
			// read it back and resend only what did not change.
			if send, err = r.check(ctx, send); err != nil {
				r.halt(err)
				return nil, res, nil
			}
			if len(send) == 0 {
				return nil, res, nil
			}
		}
	}
}

// check reads items back from HubSpot and settles those that need no
// write: already at their new owner (done), changed by someone else since
// the plan (skipped), or gone (failed). It returns the items still to send.
func (r *jobRun) check(ctx context.Context, items []jobItem) ([]jobItem, error) {
	quiet := context.WithoutCancel(ctx)
	ids := make([]hubspot.ContactID, len(items))
	for i, it := range items {
		ids[i] = it.contact
	}
	var res hubspot.BatchResult[hubspot.Contact]
	for attempt := 1; ; attempt++ {
		var err error
		res, err = r.p.client.BatchReadContacts(quiet, ids, []string{hubspot.PropOwnerID, hubspot.PropMergedObjectIDs})
		if err == nil {
			break
		}
		kind, wait := classify(err, attempt)
		if kind == failPermanent || kind == failFatal {
			return nil, err
		}
		if attempt >= reassignAttempts {
			return nil, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		r.meter.wait(wait, err)
		if jobSleep(ctx, wait) != nil {
			return nil, errStopped
		}
		r.meter.wait(0, nil)
	}
	current := make(map[hubspot.ContactID]hubspot.OwnerID, len(res.Results))
	for _, c := range res.Results {
		current[c.ID] = c.OwnerID()
	}
	survivors := hubspot.Survivors(ids, res.Results)
	gone := batchErrors(res.Errors)
	var send []jobItem
	var marks []store.ItemMark
	var owners []store.ContactOwner
	var problems []ItemProblem
	outcomes := map[int]json.RawMessage{}
	for _, it := range items {
		cur, ok := current[it.contact]
		s, merged := survivors[it.contact]
		switch {
		case !ok && merged:
			sr := survivorRead{s.ID, s.OwnerID()}
			switch sr.owner {
			case it.after:
				m := &mergedOutcome{Into: sr.id, Before: r.survivorBefore(quiet, it, sr.id), After: sr.owner}
				if m.Before != nil && *m.Before == it.after {
					m.Before = nil // the mirror already shows the write: what came before is lost
				}
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone, Error: mergedText(sr)})
				outcomes[it.seq] = m.raw()
				owners = append(owners, store.ContactOwner{ContactID: sr.id, OwnerID: sr.owner})
			case it.before:
				it.survivor, it.survivorOwner = sr.id, &sr.owner
				send = append(send, it)
			default:
				msg := fmt.Sprintf("left alone: HubSpot had merged this contact into contact %s, whose owner is %s, not %s as planned", sr.id, ownerText(sr.owner), ownerText(it.before))
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemSkipped, Error: msg})
				problems = append(problems, ItemProblem{it.contact, store.ItemSkipped, msg})
			}
		case !ok:
			msg := gone[string(it.contact)]
			if msg == "" {
				msg = "HubSpot did not return this contact"
			}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, ItemProblem{it.contact, store.ItemFailed, msg})
		case cur == it.after:
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone})
			owners = append(owners, store.ContactOwner{ContactID: it.contact, OwnerID: cur})
		case cur == it.before:
			send = append(send, it)
		default:
			msg := fmt.Sprintf("left alone: its owner changed since the plan (now %s, was %s)", ownerText(cur), ownerText(it.before))
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemSkipped, Error: msg})
			problems = append(problems, ItemProblem{it.contact, store.ItemSkipped, msg})
			owners = append(owners, store.ContactOwner{ContactID: it.contact, OwnerID: cur})
		}
	}
	if err := r.recordWith(quiet, marks, outcomes, owners, problems); err != nil {
		return nil, err
	}
	return send, nil
}

func ownerText(id hubspot.OwnerID) string {
	if id == "" {
		return "no owner"
	}
	return "owner " + string(id)
}

// batchErrors maps each failed ID of a 207 to HubSpot's message for it.
func batchErrors(errs []hubspot.BatchError) map[string]string {
	out := map[string]string{}
	for _, e := range errs {
		msg := e.Message
		if e.Category != "" {
			msg = e.Category + ": " + msg
		}
		for _, id := range e.IDs {
			out[id] = msg
		}
	}
	return out
}

// settle records a batch update's answer contact by contact.
func (r *jobRun) settle(ctx context.Context, items []jobItem, res hubspot.BatchResult[hubspot.Contact]) {
	updated := make(map[hubspot.ContactID]bool, len(res.Results))
	for _, c := range res.Results {
		updated[c.ID] = true
	}
	failed := batchErrors(res.Errors)
	survivors, err := r.unmentioned(ctx, items, updated, failed)
	if err != nil {
		r.halt(err) // the unmentioned items stay sent: a resume reads them back
		return
	}
	marks := make([]store.ItemMark, 0, len(items))
	outcomes := map[int]json.RawMessage{}
	var owners []store.ContactOwner
	var problems []ItemProblem
	for _, it := range items {
		s, merged := survivors[it.contact]
		switch msg, bad := failed[string(it.contact)]; {
		case updated[it.contact]:
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone})
			owners = append(owners, store.ContactOwner{ContactID: it.contact, OwnerID: it.after})
		case merged && s.owner == it.after:
			m := &mergedOutcome{Into: s.id, Before: r.survivorBefore(ctx, it, s.id), After: s.owner}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone, Error: mergedText(s)})
			outcomes[it.seq] = m.raw()
			owners = append(owners, store.ContactOwner{ContactID: s.id, OwnerID: s.owner})
		case merged:
			msg := fmt.Sprintf("HubSpot had merged this contact into contact %s, which did not take the new owner (it has %s)", s.id, ownerText(s.owner))
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, ItemProblem{it.contact, store.ItemFailed, msg})
		default:
			if !bad {
				msg = "HubSpot's answer did not mention this contact"
			}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, ItemProblem{it.contact, store.ItemFailed, msg})
		}
	}
	if err := r.recordWith(ctx, marks, outcomes, owners, problems); err != nil {
		r.halt(err)
	}
}

// settleAll gives every item of a batch the same outcome.
func (r *jobRun) settleAll(ctx context.Context, items []jobItem, state, msg string) {
	marks := make([]store.ItemMark, len(items))
	problems := make([]ItemProblem, len(items))
	for i, it := range items {
		marks[i] = store.ItemMark{Seq: it.seq, State: state, Error: msg}
		problems[i] = ItemProblem{it.contact, state, msg}
	}
	if err := r.record(ctx, marks, nil, problems); err != nil {
		r.halt(err)
	}
}

// mark sets items to a non-final state (sent) in the journal.
func (r *jobRun) mark(ctx context.Context, items []jobItem, state, msg string) error {
	marks := make([]store.ItemMark, len(items))
	for i, it := range items {
		marks[i] = store.ItemMark{Seq: it.seq, State: state, Error: msg}
	}
	return r.p.journal.MarkItems(ctx, r.jobID, marks)
}

// record writes what HubSpot now holds to the mirror, then the settled
// items to the journal, then the tally. The mirror goes first so that a
// crash between the two leaves items unsettled, which a resume reads back
// and records again, rather than settled items the mirror never saw. The
// mirror is a cache: failing to update it only means the console shows
// the old owner until the next sync.
func (r *jobRun) record(ctx context.Context, marks []store.ItemMark, owners []store.ContactOwner, problems []ItemProblem) error {
	return r.recordWith(ctx, marks, nil, owners, problems)
}

// recordWith is record that also writes items' outcomes (by seq).
func (r *jobRun) recordWith(ctx context.Context, marks []store.ItemMark, outcomes map[int]json.RawMessage, owners []store.ContactOwner, problems []ItemProblem) error {
	_ = r.p.mirror.SetContactOwners(ctx, owners)
	if err := r.p.journal.MarkItemsWithOutcomes(ctx, r.jobID, marks, outcomes); err != nil {
		return fmt.Errorf("cannot record results in the journal: %w", err)
	}
	var done, failed, skipped int
	for _, m := range marks {
		switch m.State {
		case store.ItemDone:
			done++
		case store.ItemFailed:
			failed++
		case store.ItemSkipped:
			skipped++
		}
	}
	r.mu.Lock()
	r.res.Done += done
	r.res.Failed += failed
	r.res.Skipped += skipped
	for _, pr := range problems {
		if len(r.res.Problems) < maxProblems {
			r.res.Problems = append(r.res.Problems, pr)
		}
	}
	r.mu.Unlock()
	r.meter.add(done+failed+skipped, failed, skipped)
	return nil
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
