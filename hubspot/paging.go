package hubspot

import (
	"context"
	"fmt"
	"iter"
)

// Page is one page of a list. NextAfter is the cursor for the next page, ""
// on the last one.
type Page[T any] struct {
	Results   []T
	NextAfter string
}

// wirePage is HubSpot's list envelope: {results, paging: {next: {after}}}.
type wirePage[T any] struct {
	Results []T `json:"results"`
	Paging  *struct {
		Next *struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
}

func (w wirePage[T]) page() Page[T] {
	p := Page[T]{Results: w.Results}
	if w.Paging != nil && w.Paging.Next != nil {
		p.NextAfter = w.Paging.Next.After
	}
	return p
}

// paginate walks pages from fetch. It yields each item, then (zero, err) once
// and stops on an error, on ctx cancellation, and on a cursor HubSpot already
// gave (ErrRepeatedCursor), so a misbehaving server cannot loop it forever.
func paginate[T any](ctx context.Context, fetch func(ctx context.Context, after string) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, after)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Results {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(item, nil) {
					return
				}
			}
			if page.NextAfter == "" {
				return
			}
			if seen[page.NextAfter] {
				yield(zero, fmt.Errorf("hubspot: after cursor %q: %w", page.NextAfter, ErrRepeatedCursor))
				return
			}
			seen[page.NextAfter] = true
			after = page.NextAfter
		}
	}
}
