package ui

import (
	"context"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Backend is what the console needs from a portal. *portal.Portal satisfies it;
// tests use a fake. Every call happens inside a tea.Cmd, never in Update.
type Backend interface {
	Info() portal.Info
	Users(ctx context.Context, q portal.Query) ([]portal.UserRow, error)
	Owners(ctx context.Context, q portal.Query) ([]portal.OwnerRow, error)
	Contacts(ctx context.Context, q portal.Query) ([]portal.ContactRow, error)
	CountContacts(ctx context.Context, q portal.Query) (int, error)
	IDCardForUser(ctx context.Context, id hubspot.UserID) (portal.IDCard, error)
	IDCardForOwner(ctx context.Context, id hubspot.OwnerID) (portal.IDCard, error)
	Resolve(ctx context.Context, input string) (portal.Resolution, error)
	Findings(ctx context.Context) ([]portal.Finding, error)
	Sync(ctx context.Context, progress chan<- portal.SyncProgress) error
	LastSync(ctx context.Context) (time.Time, error)
}

// CallLog is optionally implemented by a Backend that records the HubSpot
// calls it makes; the console's API log view lists them. Calls must be safe to
// call from any goroutine and must never contain tokens.
type CallLog interface {
	Calls() []APICall
}

// APICall is one HTTP attempt against HubSpot as the API log shows it.
type APICall struct {
	Time          time.Time
	Method        string
	Path          string
	Status        int
	Latency       time.Duration
	RateRemaining int // -1 when HubSpot did not say
	// Body is what HubSpot answered to a failed call, whole, tokens
	// already scrubbed; "" for a success.
	Body string
}

// RecordReader is optionally implemented by a Backend whose mirror holds
// object types beyond contacts (companies, deals, tickets, custom objects).
// Without it the records pane shows contacts only.
type RecordReader interface {
	// RecordTypes lists the types beyond contacts, in discovery order.
	RecordTypes(ctx context.Context) ([]portal.RecordType, error)
	Records(ctx context.Context, q portal.RecordQuery) ([]portal.RecordRow, error)
	CountRecords(ctx context.Context, q portal.RecordQuery) (int, error)
}
