package portal

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
)

// contactPage is one page on its way from HubSpot to the mirror.
type contactPage struct {
	contacts []hubspot.Contact
	next     string // the cursor after this page; "" on the last
	total    int    // how many the whole fetch will bring; -1 unknown
	rng      int    // the full sync's range the page belongs to
	done     bool   // the page ends its range
}

// pageBuffer is how many fetched pages may wait for the writer: enough to
// smooth out a slow commit, small enough to bound memory.
const pageBuffer = 4

// pipeline runs fetch (of contact pages or record pages) in its own goroutine while write stores each page it
// emits, so the next page is on its way while the previous one is written.
// The first error of either side stops both and is returned.
func pipeline[P any](ctx context.Context, fetch func(ctx context.Context, emit func(P) bool) error, write func(P) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan P, pageBuffer)
	fetched := make(chan error, 1)
	go func() {
		defer close(pages)
		fetched <- fetch(ctx, func(pg P) bool {
			select {
			case pages <- pg:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	for pg := range pages {
		if err := write(pg); err != nil {
			cancel()
			for range pages { // let the fetcher see the cancellation and finish
			}
			<-fetched //nolint:errcheck // the write's error is the one to report
			return err
		}
	}
	if err := <-fetched; err != nil {
		return err
	}
	return ctx.Err()
}
