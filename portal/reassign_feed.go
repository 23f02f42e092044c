package portal

import (
	"context"
	"slices"

	"github.com/hsadmin/hsadmin/store"
)

// The feeder journals batches as sent ahead of the workers, a round of them
// in one commit, so that a worker that takes a batch can send it at once
// instead of waiting for its own commit behind the others'. A batch that
// needs reading before its write (a job that verifies, a multi-select
// property) cannot be marked ahead: its worker reads, marks and sends it
// itself.

// fedBatch is a batch handed to a worker, marked sent in the journal
// already or not.
type fedBatch struct {
	items  []jobItem
	marked bool
}

// feed hands batches to the workers until they run out, work is cancelled,
// or the job halts, marking up to round of them ahead at a time.
func (r *jobRun) feed(work context.Context, batches [][]jobItem, feed chan<- fedBatch, round int) {
	quiet := context.WithoutCancel(work)
	for start := 0; start < len(batches); {
		if work.Err() != nil {
			return
		}
		n := r.markableAhead(batches[start:min(start+round, len(batches))])
		group := []fedBatch{{items: batches[start]}}
		if n > 0 {
			var err error
			if group, err = r.markAhead(quiet, batches[start:start+n]); err != nil {
				r.halt(err)
				return
			}
		} else {
			n = 1
		}
		for i, b := range group {
			select {
			case feed <- b:
			case <-work.Done():
				for _, left := range group[i:] {
					r.unmarkUnsent(quiet, left)
				}
				return
			}
		}
		start += n
	}
}

// markableAhead is how many of the leading batches can be marked sent
// before a worker takes them: those whose values to write need no read.
func (r *jobRun) markableAhead(batches [][]jobItem) int {
	if r.verify {
		return 0
	}
	for i, b := range batches {
		if slices.ContainsFunc(b, func(it jobItem) bool { return it.multi }) {
			return i
		}
	}
	return len(batches)
}

// markAhead marks batches sent in one commit, each item to be written its
// new owner, as prepare does for a job that does not verify.
func (r *jobRun) markAhead(ctx context.Context, batches [][]jobItem) ([]fedBatch, error) {
	out := make([]fedBatch, len(batches))
	var all []jobItem
	for i, b := range batches {
		send := make([]jobItem, len(b))
		for j, it := range b {
			it.write = string(it.after)
			send[j] = it
		}
		out[i] = fedBatch{items: send, marked: true}
		all = append(all, send...)
	}
	if err := r.mark(ctx, all, store.ItemSent, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// unmarkUnsent gives a batch marked ahead that will not be sent (the run
// stopped first) back its pending state, so that the journal does not
// show as possibly sent what never left. Failing to only costs a resume a
// read-back.
func (r *jobRun) unmarkUnsent(ctx context.Context, b fedBatch) {
	if b.marked {
		_ = r.mark(ctx, b.items, store.ItemPending, "")
	}
}
