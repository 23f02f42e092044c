package portal

import "context"

// Requests in flight during a full sync.
//
// Over HubSpot's network (~300 ms an answer) about six requests in flight
// spend its budget of 190 requests per 10 s. A type's list is one cursor
// (see sync_records.go): one request at a time, however much budget is
// left, so the largest type's list sets the least time of a full sync
// unless its cursor gets an answer as fast as the network allows. When
// the contacts' range walkers and the association readers also wait for
// the budget, every request in flight gets an equal share of it, and a
// cursor among twenty gets a twentieth. So the bulk work (contact ranges,
// association batches) shares flightSlots slots with the cursors, each
// cursor holding one while it lists: the total in flight stays near what
// the budget allows, and no cursor waits for the limiter.

// flightSlots is how many requests a full sync keeps in flight.
const flightSlots = 6

// minBulkSlots are left to the bulk work however many cursors list at once
// (a portal with many custom objects).
const minBulkSlots = 2

// flight hands out the slots: a buffered channel holds the slots in use.
type flight struct {
	slots  chan struct{}
	cursor chan struct{} // the slots cursors may hold
}

type flightKey struct{}

// withFlight makes requests under ctx share flightSlots slots.
func withFlight(ctx context.Context) context.Context {
	return context.WithValue(ctx, flightKey{}, &flight{
		slots:  make(chan struct{}, flightSlots),
		cursor: make(chan struct{}, flightSlots-minBulkSlots),
	})
}

func flightOf(ctx context.Context) *flight {
	f, _ := ctx.Value(flightKey{}).(*flight)
	return f
}

// acquire waits for a slot for one request of bulk work; release gives it
// back. Without a flight (an incremental sync) it returns at once.
func acquire(ctx context.Context) (release func(), err error) {
	f := flightOf(ctx)
	if f == nil {
		return func() {}, nil
	}
	select {
	case f.slots <- struct{}{}:
		return func() { <-f.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// holdForCursor takes a slot for a cursor's whole list when one of the
// cursors' share is free; a cursor beyond that share lists without one.
// The returned function gives it back.
func holdForCursor(ctx context.Context) (release func()) {
	f := flightOf(ctx)
	if f == nil {
		return func() {}
	}
	select {
	case f.cursor <- struct{}{}:
	default:
		return func() {}
	}
	select {
	case f.slots <- struct{}{}:
		return func() { <-f.slots; <-f.cursor }
	case <-ctx.Done():
		<-f.cursor
		return func() {}
	}
}
