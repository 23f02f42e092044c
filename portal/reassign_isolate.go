package portal

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// HubSpot refuses a whole batch update when any of its inputs has a
// property problem: one 400 listing every input's problems, naming none of
// them. So that one bad contact does not fail the other 99, the job splits
// such a batch and sends the halves, until the bad inputs stand alone.
//
// The problems are additive: a set of inputs answers the problems of its
// members (a captured answer for two inputs lists both inputs' problems,
// repeats included). So when one half answers 200, the other holds every
// problem; when it answers 400, the other holds what is left. A half known
// to hold no problem is not sent until the end, when all such inputs go
// together; a lone input known to hold problems fails with them without a
// request of its own. One bad contact in 100 costs about log2(100) probes
// plus one request for the clean rest.

// maxIsolationRounds bounds how often a batch HubSpot answered
// inconsistently (a "clean" remainder refused again) is split anew.
const maxIsolationRounds = 2

// suspect is a part of a refused batch and what is known of it.
type suspect struct {
	items    []jobItem
	known    bool                      // problems is exactly what HubSpot would answer for items
	problems []hubspot.PropertyProblem // when known
	reason   string                    // HubSpot's own answer, when it was about these items alone
}

// refused records a batch HubSpot refused for good: isolated contact by
// contact when the refusal is a property 400 that splitting can get past,
// otherwise every item failed with HubSpot's message.
func (r *jobRun) refused(ctx context.Context, items []jobItem, err error, round int) {
	quiet := context.WithoutCancel(ctx)
	problems, ok := hubspot.PropertyProblems(err)
	if !ok || countRecords(items) == 1 || round >= maxIsolationRounds || hubspot.ProblemsOfEveryInput(problems, countRecords(items)) {
		// Nothing to isolate: the error is not about inputs, or it is the
		// same for every input (a target owner HubSpot refuses).
		r.failAll(quiet, items, err)
		return
	}
	var clean []jobItem
	queue := []suspect{{items: items, known: true, problems: problems}}
	for len(queue) > 0 && ctx.Err() == nil {
		s := queue[0]
		queue = queue[1:]
		switch {
		case len(s.items) == 0:
		case !s.known:
			queue = append(queue, r.probe(ctx, s.items).suspects...)
		case len(s.problems) == 0:
			clean = append(clean, s.items...)
		case countRecords(s.items) == 1 || hubspot.ProblemsOfEveryInput(s.problems, countRecords(s.items)):
			msg := s.reason
			if msg == "" {
				msg = isolatedMessage(s.problems)
			}
			r.settleAll(quiet, s.items, store.ItemFailed, msg)
		default:
			queue = append(queue, r.split(ctx, s)...)
		}
	}
	if len(clean) == 0 || ctx.Err() != nil {
		return // a stopped job leaves the rest sent: a resume reads them back
	}
	sent, res, err := r.send(ctx, clean)
	switch {
	case len(sent) == 0:
	case err == nil:
		r.settle(quiet, sent, res)
	default:
		r.refused(ctx, sent, err, round+1)
	}
}

// split sends the first half of a suspect holding problems and works out
// what the second half holds from the answer.
func (r *jobRun) split(ctx context.Context, s suspect) []suspect {
	first, second := splitRecords(s.items)
	o := r.probe(ctx, first)
	rest := suspect{items: second} // unknown unless the answer tells
	switch {
	case !o.whole:
	case !o.refused:
		rest.known, rest.problems = true, s.problems
	default:
		left := hubspot.WithoutProblems(s.problems, o.problems)
		// Infer only when the half's problems are a part of the whole's.
		if len(left) == len(s.problems)-len(o.problems) {
			rest.known, rest.problems = true, left
		}
	}
	return append(o.suspects, rest)
}

// probeOutcome is what sending a part of a refused batch showed.
type probeOutcome struct {
	whole    bool // HubSpot answered for every item sent (no read-back settled some first)
	refused  bool // ... with a property 400 listing problems
	problems []hubspot.PropertyProblem
	suspects []suspect // what is left to work on: the refused items
}

// probe sends items as one batch: settled when HubSpot takes them; a
// property 400 leaves them a suspect holding the problems it listed; any
// other refusal fails them with HubSpot's message.
func (r *jobRun) probe(ctx context.Context, items []jobItem) probeOutcome {
	quiet := context.WithoutCancel(ctx)
	sent, res, err := r.send(ctx, items)
	o := probeOutcome{whole: len(sent) == len(items)}
	switch {
	case len(sent) == 0:
		return probeOutcome{}
	case err == nil:
		r.settle(quiet, sent, res)
		return o
	}
	problems, ok := hubspot.PropertyProblems(err)
	if !ok {
		r.settleAll(quiet, sent, store.ItemFailed, err.Error())
		return probeOutcome{}
	}
	o.refused, o.problems = true, problems
	s := suspect{items: sent, known: true, problems: problems}
	if countRecords(sent) == 1 {
		s.reason = err.Error()
	}
	o.suspects = []suspect{s}
	return o
}

// isolatedMessage is the journal's reason for a contact whose problems were
// told apart by splitting its batch.
func isolatedMessage(problems []hubspot.PropertyProblem) string {
	return "HubSpot refused the new owner for this record (VALIDATION_ERROR, found by splitting its batch): " + hubspot.ProblemText(problems)
}
