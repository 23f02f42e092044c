package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A batch is items of one object type and one new owner, grouped by
// record: HubSpot gets one input per record carrying every property that
// changes on it, at most the job's batch size of records a request.

// makeBatches cuts items into batches of at most size records, each of one
// type and a single new owner, so that HubSpot refusing one owner (a
// whole-batch 400) fails only that owner's items. A record's items are
// never split between batches.
func makeBatches(items []jobItem, size int) [][]jobItem {
	if size <= 0 || size > DefaultReassignBatch {
		size = DefaultReassignBatch
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b jobItem) int {
		return cmp.Or(cmp.Compare(a.typ, b.typ), cmp.Compare(a.after, b.after), compareIDs(a.record, b.record), a.seq-b.seq)
	})
	var out [][]jobItem
	for start := 0; start < len(sorted); {
		end, records := start+1, 1
		for end < len(sorted) && sorted[end].typ == sorted[start].typ && sorted[end].after == sorted[start].after {
			if sorted[end].record != sorted[end-1].record {
				if records == size {
					break
				}
				records++
			}
			end++
		}
		out = append(out, sorted[start:end])
		start = end
	}
	return out
}

// compareIDs orders record IDs as numbers when they are, shorter first.
func compareIDs(a, b hubspot.RecordID) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
}

// countRecords is how many records (HubSpot's inputs) items cover; a
// record's items are adjacent.
func countRecords(items []jobItem) int {
	n := 0
	for i, it := range items {
		if i == 0 || it.record != items[i-1].record || it.typ != items[i-1].typ {
			n++
		}
	}
	return n
}

// splitRecords cuts items in two at the record boundary nearest the middle
// of their records.
func splitRecords(items []jobItem) ([]jobItem, []jobItem) {
	half, seen := countRecords(items)/2, 0
	for i, it := range items {
		if i > 0 && it.record != items[i-1].record {
			seen++
			if seen == half {
				return items[:i], items[i:]
			}
		}
	}
	return items, nil
}

// errStopped means a wait was cut short by cancellation: the batch's items
// stay as the journal has them, which a resume handles.
var errStopped = errors.New("stopped")

// batch sends one batch and records its outcome. ctx only cuts waits
// short; the requests and journal writes of a batch always complete.
func (r *jobRun) batch(ctx context.Context, items []jobItem) {
	quiet := context.WithoutCancel(ctx)
	send, err := r.prepare(ctx, items)
	if err != nil {
		r.halt(err)
		return
	}
	if len(send) == 0 {
		return
	}
	if err := r.mark(quiet, send, store.ItemSent, ""); err != nil {
		r.halt(err)
		return
	}
	r.sendMarked(ctx, send)
}

// sendMarked sends a batch whose items the journal has as sent, and
// records its outcome.
func (r *jobRun) sendMarked(ctx context.Context, send []jobItem) {
	sent, res, err := r.send(ctx, send)
	switch {
	case len(sent) == 0:
	case err == nil:
		r.settleLater(sent, res)
	default:
		r.refused(ctx, sent, err, 0)
	}
}

// prepare reads back what needs reading before a write, and returns the
// items to send with the values to write: every item when the job
// verifies, else only the multi-select ones, whose value is read right
// before the write so that only this owner's ID is replaced (someone may
// have added another since the plan).
func (r *jobRun) prepare(ctx context.Context, items []jobItem) ([]jobItem, error) {
	if r.verify {
		return r.check(ctx, items)
	}
	var multi, send []jobItem
	for _, it := range items {
		if it.multi {
			multi = append(multi, it)
			continue
		}
		it.write = string(it.after)
		send = append(send, it)
	}
	if len(multi) == 0 {
		return send, nil
	}
	checked, err := r.check(ctx, multi)
	if err != nil {
		return nil, err
	}
	send = append(send, checked...)
	slices.SortStableFunc(send, func(a, b jobItem) int { return cmp.Or(compareIDs(a.record, b.record), a.seq-b.seq) })
	return send, nil
}

// writeAnswer is what a batch update answered: the records it updated, and
// the per-record errors of a 207.
type writeAnswer struct {
	updated map[hubspot.RecordID]bool
	errors  []hubspot.BatchError
}

// send sends items as one batch update, retrying as the job does. It
// returns the items HubSpot answered for (a read-back after an unknown
// outcome may settle some first) with the answer, or with a permanent
// failure (err). No items means nothing is left to record: all settled,
// the job halted, or the wait cancelled.
func (r *jobRun) send(ctx context.Context, send []jobItem) ([]jobItem, writeAnswer, error) {
	quiet := context.WithoutCancel(ctx)
	for attempt := 1; ; attempt++ {
		res, err := r.update(quiet, send)
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
			if err := r.mark(quiet, send, store.ItemSent, ""); err != nil {
				r.halt(err)
				return nil, res, nil
			}
		}
	}
}

// update is one batch update request of items' records: contacts through
// the contacts API, every other type through the objects API.
func (r *jobRun) update(ctx context.Context, items []jobItem) (writeAnswer, error) {
	ids, props := recordInputs(items)
	ans := writeAnswer{updated: map[hubspot.RecordID]bool{}}
	if items[0].typ == hubspot.ObjectContacts {
		inputs := make([]hubspot.BatchInput, len(ids))
		for i, id := range ids {
			inputs[i] = hubspot.BatchInput{ID: hubspot.ContactID(id), Properties: props[i]}
		}
		res, err := r.p.client.BatchUpdateContacts(ctx, inputs)
		for _, c := range res.Results {
			ans.updated[hubspot.RecordID(c.ID)] = true
		}
		ans.errors = res.Errors
		return ans, err
	}
	inputs := make([]hubspot.RecordInput, len(ids))
	for i, id := range ids {
		inputs[i] = hubspot.RecordInput{ID: id, Properties: props[i]}
	}
	res, err := r.p.client.BatchUpdateRecords(ctx, items[0].typ, inputs)
	for _, rec := range res.Results {
		ans.updated[rec.ID] = true
	}
	ans.errors = res.Errors
	return ans, err
}

// recordInputs groups items by record: each record's ID and the values to
// write to its properties.
func recordInputs(items []jobItem) ([]hubspot.RecordID, []hubspot.Properties) {
	var ids []hubspot.RecordID
	var props []hubspot.Properties
	at := map[hubspot.RecordID]int{}
	for _, it := range items {
		i, ok := at[it.record]
		if !ok {
			i = len(ids)
			at[it.record] = i
			ids = append(ids, it.record)
			props = append(props, hubspot.Properties{})
		}
		props[i][it.property] = it.write
	}
	return ids, props
}

// readAnswer is what a batch read showed of items' records: each one's
// properties, the survivors of contacts merged away, and the records
// HubSpot did not find.
type readAnswer struct {
	values    map[hubspot.RecordID]hubspot.Properties
	survivors map[hubspot.RecordID]survivorRead
	gone      map[string]string
}

// read reads items' records back with the properties they change,
// retrying as the job does.
func (r *jobRun) read(ctx context.Context, items []jobItem) (readAnswer, error) {
	quiet := context.WithoutCancel(ctx)
	var ids []hubspot.RecordID
	var props []string
	for i, it := range items {
		if i == 0 || it.record != items[i-1].record {
			ids = append(ids, it.record)
		}
		if !slices.Contains(props, it.property) {
			props = append(props, it.property)
		}
	}
	for attempt := 1; ; attempt++ {
		ans, err := r.readOnce(quiet, items[0].typ, dedupe(ids), props)
		if err == nil {
			return ans, nil
		}
		kind, wait := classify(err, attempt)
		if kind == failPermanent || kind == failFatal {
			return readAnswer{}, err
		}
		if attempt >= reassignAttempts {
			return readAnswer{}, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		r.meter.wait(wait, err)
		if jobSleep(ctx, wait) != nil {
			return readAnswer{}, errStopped
		}
		r.meter.wait(0, nil)
	}
}

func (r *jobRun) readOnce(ctx context.Context, t hubspot.ObjectType, ids []hubspot.RecordID, props []string) (readAnswer, error) {
	ans := readAnswer{values: map[hubspot.RecordID]hubspot.Properties{}}
	if t == hubspot.ObjectContacts {
		cids := make([]hubspot.ContactID, len(ids))
		for i, id := range ids {
			cids[i] = hubspot.ContactID(id)
		}
		res, err := r.p.client.BatchReadContacts(ctx, cids, append(slices.Clone(props), hubspot.PropMergedObjectIDs))
		if err != nil {
			return ans, err
		}
		for _, c := range res.Results {
			ans.values[hubspot.RecordID(c.ID)] = c.Properties
		}
		ans.survivors = map[hubspot.RecordID]survivorRead{}
		for id, c := range hubspot.Survivors(cids, res.Results) {
			ans.survivors[hubspot.RecordID(id)] = survivorRead{c.ID, c.Properties}
		}
		ans.gone = batchErrors(res.Errors)
		return ans, nil
	}
	res, err := r.p.client.BatchReadRecords(ctx, t, ids, props)
	if err != nil {
		return ans, err
	}
	for _, rec := range res.Results {
		ans.values[rec.ID] = rec.Properties
	}
	ans.gone = batchErrors(res.Errors)
	return ans, nil
}

// check reads items back from HubSpot and settles those that need no
// write: already at their new owner (done), changed by someone else since
// the plan (skipped), or gone (failed). It returns the items still to send,
// each with the value to write worked out from the value read.
func (r *jobRun) check(ctx context.Context, items []jobItem) ([]jobItem, error) {
	quiet := context.WithoutCancel(ctx)
	ans, err := r.read(ctx, items)
	if err != nil {
		return nil, err
	}
	var send []jobItem
	var marks []store.ItemMark
	mw := &mirrorWrites{}
	var problems []ItemProblem
	outcomes := map[int]json.RawMessage{}
	for _, it := range items {
		props, ok := ans.values[it.record]
		s, merged := ans.survivors[it.record]
		switch {
		case !ok && merged:
			cur := s.props[it.property]
			v, w := it.judge(cur)
			switch v {
			case verdictDone:
				m := &mergedOutcome{Into: s.id, Before: r.survivorBefore(quiet, it, s.id), After: hubspot.OwnerID(cur)}
				if m.Before != nil && *m.Before == it.after {
					m.Before = nil // the mirror already shows the write: what came before is lost
				}
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone, Error: mergedText(s)})
				outcomes[it.seq] = m.raw()
				mw.add(it, hubspot.RecordID(s.id), cur)
			case verdictSend:
				owner := hubspot.OwnerID(cur)
				it.survivor, it.survivorOwner = s.id, &owner
				it.write, it.read = w, &cur
				send = append(send, it)
			default:
				msg := fmt.Sprintf("left alone: HubSpot had merged this contact into contact %s, whose %s is %s, not %s as planned", s.id, it.property, valueText(it, cur), ownerText(it.before))
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemSkipped, Error: msg})
				problems = append(problems, it.problem(store.ItemSkipped, msg))
			}
		case !ok:
			msg := ans.gone[string(it.record)]
			if msg == "" {
				msg = "HubSpot did not return this " + singularOf(it.typ)
			}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, it.problem(store.ItemFailed, msg))
		default:
			cur := props[it.property]
			switch v, w := it.judge(cur); v {
			case verdictDone:
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone})
				mw.add(it, it.record, cur)
			case verdictSend:
				it.write, it.read = w, &cur
				send = append(send, it)
			default:
				msg := changedText(it, cur)
				marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemSkipped, Error: msg})
				problems = append(problems, it.problem(store.ItemSkipped, msg))
				mw.add(it, it.record, cur)
			}
		}
	}
	if err := r.recordWith(quiet, marks, outcomes, mw, problems); err != nil {
		return nil, err
	}
	return send, nil
}

// changedText says why an item someone changed since the plan is left
// alone.
func changedText(it jobItem, cur string) string {
	if it.multi {
		return fmt.Sprintf("left alone: its %s no longer holds %s (now %s)", it.property, ownerText(it.before), valueText(it, cur))
	}
	if it.property != hubspot.PropOwnerID {
		return fmt.Sprintf("left alone: its %s changed since the plan (now %s, was %s)", it.property, ownerText(hubspot.OwnerID(cur)), ownerText(it.before))
	}
	return fmt.Sprintf("left alone: its owner changed since the plan (now %s, was %s)", ownerText(hubspot.OwnerID(cur)), ownerText(it.before))
}

func valueText(it jobItem, cur string) string {
	if it.multi {
		if cur == "" {
			return "no owner"
		}
		return "owners " + cur
	}
	return ownerText(hubspot.OwnerID(cur))
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

// settle records a batch update's answer item by item.
func (r *jobRun) settle(ctx context.Context, items []jobItem, res writeAnswer) {
	st, err := r.judgeAnswer(ctx, items, res)
	if err != nil {
		r.halt(err) // the unmentioned items stay sent: a resume reads them back
		return
	}
	if err := r.recordWith(ctx, st.marks, st.outcomes, &st.mw, st.problems); err != nil {
		r.halt(err)
	}
}

// settlement is what the answers of one or more batches settle.
type settlement struct {
	marks    []store.ItemMark
	outcomes map[int]json.RawMessage
	mw       mirrorWrites
	problems []ItemProblem
}

// join adds o's items to s, so that both are recorded at once.
func (s *settlement) join(o settlement) {
	s.marks = append(s.marks, o.marks...)
	if s.outcomes == nil {
		s.outcomes = map[int]json.RawMessage{}
	}
	for seq, raw := range o.outcomes {
		s.outcomes[seq] = raw
	}
	s.mw.contacts = append(s.mw.contacts, o.mw.contacts...)
	s.mw.values = append(s.mw.values, o.mw.values...)
	s.problems = append(s.problems, o.problems...)
}

// judgeAnswer works out, item by item, what a batch update's answer
// settles, reading back the contacts it did not mention (merged away).
func (r *jobRun) judgeAnswer(ctx context.Context, items []jobItem, res writeAnswer) (settlement, error) {
	failed := batchErrors(res.errors)
	survivors, err := r.unmentioned(ctx, items, res.updated, failed)
	if err != nil {
		return settlement{}, err
	}
	marks := make([]store.ItemMark, 0, len(items))
	outcomes := map[int]json.RawMessage{}
	mw := &mirrorWrites{}
	var problems []ItemProblem
	for _, it := range items {
		s, merged := survivors[it.contact]
		var took bool
		var cur string
		if merged {
			cur = s.props[it.property]
			v, _ := it.judge(cur)
			took = v == verdictDone
		}
		switch msg, bad := failed[string(it.record)]; {
		case res.updated[it.record]:
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone})
			mw.add(it, it.record, it.write)
		case merged && took:
			m := &mergedOutcome{Into: s.id, Before: r.survivorBefore(ctx, it, s.id), After: hubspot.OwnerID(cur)}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemDone, Error: mergedText(s)})
			outcomes[it.seq] = m.raw()
			mw.add(it, hubspot.RecordID(s.id), cur)
		case merged:
			msg := fmt.Sprintf("HubSpot had merged this contact into contact %s, which did not take the new owner (it has %s)", s.id, valueText(it, cur))
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, it.problem(store.ItemFailed, msg))
		default:
			if !bad {
				msg = "HubSpot's answer did not mention this " + singularOf(it.typ)
			}
			marks = append(marks, store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: msg})
			problems = append(problems, it.problem(store.ItemFailed, msg))
		}
	}
	return settlement{marks: marks, outcomes: outcomes, mw: *mw, problems: problems}, nil
}

// settleAll gives every item of a batch the same outcome.
func (r *jobRun) settleAll(ctx context.Context, items []jobItem, state, msg string) {
	marks := make([]store.ItemMark, len(items))
	problems := make([]ItemProblem, len(items))
	for i, it := range items {
		marks[i] = store.ItemMark{Seq: it.seq, State: state, Error: msg}
		problems[i] = it.problem(state, msg)
	}
	if err := r.record(ctx, marks, nil, problems); err != nil {
		r.halt(err)
	}
}

// mark sets items to a non-final state (sent) in the journal, with what a
// read right before the write showed of a multi-select and the value sent:
// the journal holds them before the request leaves.
func (r *jobRun) mark(ctx context.Context, items []jobItem, state, msg string) error {
	marks := make([]store.ItemMark, len(items))
	outcomes := map[int]json.RawMessage{}
	for i, it := range items {
		marks[i] = store.ItemMark{Seq: it.seq, State: state, Error: msg}
		if it.multi && it.read != nil {
			outcomes[it.seq] = itemOutcome{Read: it.read, Wrote: &it.write}.raw()
		}
	}
	r.journalMu.Lock()
	defer r.journalMu.Unlock()
	return r.p.journal.MarkItemsWithOutcomes(ctx, r.jobID, marks, outcomes)
}

// mirrorWrites are the owner values a batch showed HubSpot now holds, for
// the mirror.
type mirrorWrites struct {
	contacts []store.ContactOwner
	values   []store.RecordOwnerValue
}

// add records that record id (the item's, or a merged contact's survivor)
// now holds value in the item's property.
func (w *mirrorWrites) add(it jobItem, id hubspot.RecordID, value string) {
	if it.typ == hubspot.ObjectContacts && it.property == hubspot.PropOwnerID {
		w.contacts = append(w.contacts, store.ContactOwner{ContactID: hubspot.ContactID(id), OwnerID: hubspot.OwnerID(value)})
		return
	}
	w.values = append(w.values, store.RecordOwnerValue{Type: it.typ, ID: id, Property: it.property, Value: value, Multi: it.multi})
}

// record writes what HubSpot now holds to the mirror, then the settled
// items to the journal, then the tally. The mirror goes first so that a
// crash between the two leaves items unsettled, which a resume reads back
// and records again, rather than settled items the mirror never saw. The
// mirror is a cache: failing to update it only means the console shows
// the old owner until the next sync.
func (r *jobRun) record(ctx context.Context, marks []store.ItemMark, mw *mirrorWrites, problems []ItemProblem) error {
	return r.recordWith(ctx, marks, nil, mw, problems)
}

// recordWith is record that also writes items' outcomes (by seq).
func (r *jobRun) recordWith(ctx context.Context, marks []store.ItemMark, outcomes map[int]json.RawMessage, mw *mirrorWrites, problems []ItemProblem) error {
	if mw != nil {
		_ = r.p.mirror.SetContactOwners(ctx, mw.contacts)
		_ = r.p.mirror.SetRecordOwnerValues(ctx, mw.values)
	}
	r.journalMu.Lock()
	err := r.p.journal.MarkItemsWithOutcomes(ctx, r.jobID, marks, outcomes)
	r.journalMu.Unlock()
	if err != nil {
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
