package portal

import "github.com/hsadmin/hsadmin/store"

// The view types the console reads, as portal hands them out. They are the
// mirror's and the journal's own row types (aliases, not copies: a row
// read from the store is shown as it is, with no conversion per frame), but
// the console names them here, so that it depends on portal alone and the
// store can change beneath it.

// Rows and cards of the mirror.
type (
	UserRow    = store.UserRow
	OwnerRow   = store.OwnerRow
	ContactRow = store.ContactRow
	IDCard     = store.IDCard
	TeamRef    = store.TeamRef
	// Query asks the mirror for one page of a pane: filter, offset, limit.
	Query = store.Query
	// OwnerState says what a contact's owner ID points at.
	OwnerState = store.OwnerState
)

// What a contact's owner ID points at.
const (
	OwnerActive   = store.OwnerActive
	OwnerArchived = store.OwnerArchived
	OwnerUnknown  = store.OwnerUnknown
	OwnerNone     = store.OwnerNone
)

// The ID schemes Resolve reads a value in.
const (
	SchemeUserID  = store.SchemeUserID
	SchemeOwnerID = store.SchemeOwnerID
	SchemeEmail   = store.SchemeEmail
)

// Finding kinds the console jumps to.
const (
	FindingContactsArchivedOwner = store.FindingContactsArchivedOwner
	FindingContactsUnknownOwner  = store.FindingContactsUnknownOwner
	FindingMultiRoleUsers        = store.FindingMultiRoleUsers
)

// Jobs and their items, as the journal keeps them.
type (
	Job         = store.Job
	JobItem     = store.JobItem
	ItemCounts  = store.ItemCounts
	RestoreItem = store.RestoreItem
)

// Job states.
const (
	JobPlanned     = store.JobPlanned
	JobRunning     = store.JobRunning
	JobDone        = store.JobDone
	JobCancelled   = store.JobCancelled
	JobInterrupted = store.JobInterrupted
)

// Item states.
const (
	ItemPending = store.ItemPending
	ItemSent    = store.ItemSent
	ItemDone    = store.ItemDone
	ItemFailed  = store.ItemFailed
	ItemSkipped = store.ItemSkipped
)

// RestoredByHand marks a restore checklist item an admin ticked off.
const RestoredByHand = store.RestoredByHand

// Errors the console tells apart.
var (
	ErrNoSuchJob         = store.ErrNoSuchJob
	ErrNoSuchRestoreItem = store.ErrNoSuchRestoreItem
)

// The sort keys each list offers, first the default.
var (
	UserSorts    = store.UserSorts
	OwnerSorts   = store.OwnerSorts
	ContactSorts = store.ContactSorts
)

// Records of every object type beyond contacts, for the records pane.
type (
	// RecordType is an object type the mirror holds, with its owner
	// properties in discovery order.
	RecordType      = store.ObjectTypeInfo
	RecordRow       = store.RecordRow
	RecordOwnerCell = store.RecordOwnerCell
	// RecordQuery asks for one page of one type's records.
	RecordQuery = store.RecordQuery
	// Holding is what an owner ID holds of one type through one property.
	Holding = store.Holding
)

// RecordSorts are the records pane's sort keys, the default first.
var RecordSorts = store.RecordSorts

// Per-type finding kinds: one group per kind, type and owner property.
const (
	FindingRecordsDeactivatedOwner = store.FindingRecordsDeactivatedOwner
	FindingRecordsUnknownOwner     = store.FindingRecordsUnknownOwner
	FindingRecordsUserIDAsOwner    = store.FindingRecordsUserIDAsOwner
)
