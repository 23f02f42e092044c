package portal

import "context"

// The answers of batch updates are recorded by one settler, apart from the
// workers that send: a worker hands its answer over and takes the next
// batch, so the requests keep going out as fast as the rate limit allows
// while the journal catches up, and the settler records every answer that
// has come meanwhile in one commit of the mirror and one of the journal
// instead of one per batch. Every write is still journaled as sent before
// it leaves (the worker commits that itself), and only settled once its
// answer is in: a crash in between leaves sent items, which a resume reads
// back.

// settleQueue is how many answers may wait for the settler: a worker whose
// answer finds the queue full waits, which bounds how far the requests run
// ahead of the journal.
const settleQueue = 64

// settleGroupMax bounds the answers recorded in one commit, so that a
// worker journaling its next batch as sent never waits long behind one.
const settleGroupMax = 16

// batchAnswer is a batch update's answer waiting to be settled.
type batchAnswer struct {
	items []jobItem
	res   writeAnswer
}

// startSettler starts the settler; the returned function closes its queue
// once no worker sends any more, and waits until every answer is recorded.
func (r *jobRun) startSettler(ctx context.Context) (finish func()) {
	r.answers = make(chan batchAnswer, settleQueue)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for a := range r.answers {
			r.settleGroup(ctx, r.gatherAnswers(a))
		}
	}()
	return func() {
		close(r.answers)
		<-done
	}
}

// gatherAnswers is first and every answer already waiting behind it.
func (r *jobRun) gatherAnswers(first batchAnswer) []batchAnswer {
	group := []batchAnswer{first}
	for len(group) < settleGroupMax {
		select {
		case a, ok := <-r.answers:
			if !ok {
				return group
			}
			group = append(group, a)
		default:
			return group
		}
	}
	return group
}

// settleLater hands a batch update's answer to the settler.
func (r *jobRun) settleLater(items []jobItem, res writeAnswer) {
	r.answers <- batchAnswer{items, res}
}

// settleGroup records the answers of several batches at once. An answer
// whose items cannot be worked out (a read-back of merged contacts failed)
// stops the job and leaves them sent; the others are still recorded.
func (r *jobRun) settleGroup(ctx context.Context, group []batchAnswer) {
	var all settlement
	for _, a := range group {
		st, err := r.judgeAnswer(ctx, a.items, a.res)
		if err != nil {
			r.halt(err)
			continue
		}
		all.join(st)
	}
	if len(all.marks) == 0 {
		return
	}
	if err := r.recordWith(ctx, all.marks, all.outcomes, &all.mw, all.problems); err != nil {
		r.halt(err)
	}
}
