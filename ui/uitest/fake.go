// Package uitest holds a deterministic in-memory Backend for console tests and
// demos. Its data is small but contains every case of the HubSpot ID maze:
// multi-role users, a user without an owner, an archived owner still holding
// contacts, a queue owner, contacts pointing at an owner ID nobody has, and a
// user ID that is numerically another person's owner ID.
package uitest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Well-known IDs of the fixture people, for tests to aim at.
const (
	MultiRoleUser  hubspot.UserID  = "101" // Ana Lopez: 3 roles, owner 5001
	SingleRoleUser hubspot.UserID  = "102" // Bo Kim, owner 5002
	NoOwnerUser    hubspot.UserID  = "103" // Cy Dunn: no owner
	CollidingUser  hubspot.UserID  = "5003"
	CollidingOwner hubspot.OwnerID = "5003" // Eli Moss's owner ID, not Dee Park's
	DeeParkOwner   hubspot.OwnerID = "5010"
	ArchivedOwner  hubspot.OwnerID = "5005" // Gus Hale, deactivated user 106
	QueueOwner     hubspot.OwnerID = "5006"
	// OwnerWithoutUser is Sam Reyes, present with Config.OwnerWithoutUser.
	OwnerWithoutUser hubspot.OwnerID = "5007"
	UnknownOwnerID   hubspot.OwnerID = "7777"
	AnaOwner         hubspot.OwnerID = "5001"
	FirstContactID                   = 1_000_000
)

// Config sizes the fake.
type Config struct {
	Contacts  int           // default 40
	ExtraUsrs int           // generated users beyond the fixtures (each with an owner)
	Delay     time.Duration // added to every query, for demos of async loading
	SyncSteps int           // progress messages per sync phase, default 3
	SyncDelay time.Duration // pause between sync progress messages
	Now       time.Time     // LastSync before any Sync; default 2026-11-20 09:30 UTC
	// Names replace the names of the first generated users, their owners and
	// the contacts those owners hold, for tests of hostile text (control
	// characters, emoji, very long names). Needs ExtraUsrs >= len(Names).
	Names []string
	// OwnerWithoutUser adds owner 5007, Sam Reyes: an active person owner
	// with no HubSpot user and no team, as HubSpot lists owners synced
	// from Salesforce. Off by default, so the other screens stay as they are.
	OwnerWithoutUser bool
	// Records is how many records of each type beyond contacts the fake
	// holds (records.go); 0 keeps the portal contacts-only.
	Records int
}

// Fake implements the console's Backend.
type Fake struct {
	cfg    Config
	info   portal.Info
	users  []portal.UserRow
	owners []portal.OwnerRow
	// contactOwners is the owner pattern contacts cycle through.
	contactOwners []hubspot.OwnerID
	// userText and ownerText are each row's filter text, lower-cased.
	userText, ownerText []string

	mu       sync.Mutex
	lastSync time.Time
	syncs    int
	queries  int
	failNext error
	applied  []AppliedChange                  // team and role changes received (teamchange.go)
	restore  []portal.RestoreItem             // roles those changes dropped
	jobs     []fakeJob                        // reassignment jobs recorded (reassign.go)
	details  map[int64][]portal.JobItemDetail // items set by SetJobItems (job_detail.go)
}

// New builds a fake with the fixtures plus cfg's generated data.
func New(cfg Config) *Fake {
	if cfg.Contacts == 0 {
		cfg.Contacts = 40
	}
	if cfg.SyncSteps == 0 {
		cfg.SyncSteps = 3
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	}
	f := &Fake{cfg: cfg, lastSync: cfg.Now}
	f.info = portal.Info{HubID: 62515, Name: "Acme Sandbox", BaseURL: "http://127.0.0.1", Sandbox: true}
	f.users = []portal.UserRow{
		{UserID: "101", Email: "ana@acme.test", Name: "Ana Lopez", PrimaryRoleID: "11",
			RoleIDs: []hubspot.RoleID{"11", "12", "13"}, RoleNames: []string{"Sales Rep", "Marketing", "Service"},
			PrimaryTeamID: "1", PrimaryTeamName: "Sales", SecondaryTeamIDs: []hubspot.TeamID{"2"},
			OwnerID: "5001", CRMUserID: "9000101"},
		{UserID: "102", Email: "bo@acme.test", Name: "Bo Kim", PrimaryRoleID: "11",
			RoleIDs: []hubspot.RoleID{"11"}, RoleNames: []string{"Sales Rep"},
			PrimaryTeamID: "1", PrimaryTeamName: "Sales", OwnerID: "5002", CRMUserID: "9000102"},
		{UserID: "103", Email: "cy@acme.test", Name: "Cy Dunn", PrimaryRoleID: "12",
			RoleIDs: []hubspot.RoleID{"12"}, RoleNames: []string{"Marketing"}, CRMUserID: "9000103"},
		{UserID: "104", Email: "eli@acme.test", Name: "Eli Moss", PrimaryRoleID: "13",
			RoleIDs: []hubspot.RoleID{"13"}, RoleNames: []string{"Service"},
			PrimaryTeamID: "2", PrimaryTeamName: "Support", OwnerID: "5003", CRMUserID: "9000104"},
		{UserID: "105", Email: "fay@acme.test", Name: "Fay Wong", SuperAdmin: true, PrimaryRoleID: "14",
			RoleIDs: []hubspot.RoleID{"14", "11"}, RoleNames: []string{"Admin", "Sales Rep"},
			PrimaryTeamID: "1", PrimaryTeamName: "Sales", OwnerID: "5004", CRMUserID: "9000105"},
		{UserID: "5003", Email: "dee@acme.test", Name: "Dee Park", PrimaryRoleID: "11",
			RoleIDs: []hubspot.RoleID{"11"}, RoleNames: []string{"Sales Rep"},
			PrimaryTeamID: "1", PrimaryTeamName: "Sales", OwnerID: "5010", CRMUserID: "9005003"},
	}
	f.owners = []portal.OwnerRow{
		{OwnerID: "5001", Email: "ana@acme.test", Name: "Ana Lopez", Type: hubspot.OwnerPerson, UserID: "101", UserIDIncludingInactive: "101", PrimaryTeamName: "Sales"},
		{OwnerID: "5002", Email: "bo@acme.test", Name: "Bo Kim", Type: hubspot.OwnerPerson, UserID: "102", UserIDIncludingInactive: "102", PrimaryTeamName: "Sales"},
		{OwnerID: "5003", Email: "eli@acme.test", Name: "Eli Moss", Type: hubspot.OwnerPerson, UserID: "104", UserIDIncludingInactive: "104", PrimaryTeamName: "Support"},
		{OwnerID: "5004", Email: "fay@acme.test", Name: "Fay Wong", Type: hubspot.OwnerPerson, UserID: "105", UserIDIncludingInactive: "105", PrimaryTeamName: "Sales"},
		{OwnerID: "5005", Email: "gus@acme.test", Name: "Gus Hale", Type: hubspot.OwnerPerson, UserIDIncludingInactive: "106", Archived: true},
		{OwnerID: "5006", Email: "support@acme.test", Name: "Support Queue", Type: hubspot.OwnerQueue},
		{OwnerID: "5010", Email: "dee@acme.test", Name: "Dee Park", Type: hubspot.OwnerPerson, UserID: "5003", UserIDIncludingInactive: "5003", PrimaryTeamName: "Sales"},
	}
	if cfg.OwnerWithoutUser {
		f.owners = append(f.owners, portal.OwnerRow{OwnerID: OwnerWithoutUser, Email: "sam@acme.test", Name: "Sam Reyes", Type: hubspot.OwnerPerson})
	}
	for i := range cfg.ExtraUsrs {
		uid := hubspot.UserID(strconv.Itoa(200 + i))
		oid := hubspot.OwnerID(strconv.Itoa(6000 + i))
		name := personName(i + 7)
		email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@acme.test"
		if i < len(cfg.Names) {
			name = cfg.Names[i]
		}
		f.users = append(f.users, portal.UserRow{UserID: uid, Email: email, Name: name, PrimaryRoleID: "11",
			RoleIDs: []hubspot.RoleID{"11"}, RoleNames: []string{"Sales Rep"}, OwnerID: oid, CRMUserID: hubspot.CRMUserID("90" + string(uid))})
		f.owners = append(f.owners, portal.OwnerRow{OwnerID: oid, Email: email, Name: name, Type: hubspot.OwnerPerson, UserID: uid, UserIDIncludingInactive: uid})
	}
	f.contactOwners = []hubspot.OwnerID{"5001", "5002", "5003", "5004", "5010", ArchivedOwner, "5001", UnknownOwnerID, "", QueueOwner}
	f.countContacts()
	f.indexText()
	return f
}

var firstNames = []string{"Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lu", "Max", "Nia", "Oz", "Pia"}
var lastNames = []string{"Lopez", "Kim", "Dunn", "Park", "Moss", "Wong", "Hale", "Ito", "Nash", "Ruiz", "Sato", "Tran", "Vik", "West", "Yu", "Zorn"}

func personName(i int) string {
	return firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)]
}

// countContacts fills ContactCount from the cyclic owner pattern; an owner
// appearing twice in the pattern gets both shares.
func (f *Fake) countContacts() {
	n := len(f.contactOwners)
	seen := map[hubspot.OwnerID]int{}
	for i, o := range f.contactOwners {
		share := f.cfg.Contacts / n
		if i < f.cfg.Contacts%n {
			share++
		}
		seen[o] += share
	}
	for i := range f.owners {
		f.owners[i].ContactCount = seen[f.owners[i].OwnerID]
	}
	for i := range f.users {
		f.users[i].ContactCount = seen[f.users[i].OwnerID]
	}
}

// ownerShare counts the contacts the owner pattern gives owner.
func (f *Fake) ownerShare(owner hubspot.OwnerID) int {
	n, total := len(f.contactOwners), 0
	for j, o := range f.contactOwners {
		if o != owner {
			continue
		}
		total += f.cfg.Contacts / n
		if j < f.cfg.Contacts%n {
			total++
		}
	}
	return total
}

// Queries counts backend calls, so tests can see that work happened in Cmds.
func (f *Fake) Queries() int { f.mu.Lock(); defer f.mu.Unlock(); return f.queries }

// Syncs counts finished Sync calls.
func (f *Fake) Syncs() int { f.mu.Lock(); defer f.mu.Unlock(); return f.syncs }

// FailNext makes the next query fail with err.
func (f *Fake) FailNext(err error) { f.mu.Lock(); f.failNext = err; f.mu.Unlock() }

// SetInfo replaces what Info reports (read-only mode, name).
func (f *Fake) SetInfo(i portal.Info) { f.info = i }

func (f *Fake) enter(ctx context.Context) error {
	f.mu.Lock()
	f.queries++
	err := f.failNext
	f.failNext = nil
	f.mu.Unlock()
	if err != nil {
		return err
	}
	if f.cfg.Delay > 0 {
		select {
		case <-time.After(f.cfg.Delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}

func (f *Fake) Info() portal.Info { return f.info }

func matches(filter string, fields ...string) bool {
	if filter == "" {
		return true
	}
	filter = strings.ToLower(filter)
	for _, s := range fields {
		if strings.Contains(strings.ToLower(s), filter) {
			return true
		}
	}
	return false
}

func (f *Fake) Users(ctx context.Context, q portal.Query) ([]portal.UserRow, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	w := newWindow[portal.UserRow](q)
	needle := strings.ToLower(q.Filter)
	for i, u := range f.users {
		if needle == "" || strings.Contains(f.userText[i], needle) {
			if !w.add(u) {
				break
			}
		}
	}
	return w.rows, nil
}

func (f *Fake) Owners(ctx context.Context, q portal.Query) ([]portal.OwnerRow, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	w := newWindow[portal.OwnerRow](q)
	needle := strings.ToLower(q.Filter)
	for i, o := range f.owners {
		if q.UserID != "" && o.UserID != q.UserID {
			continue
		}
		if needle == "" || strings.Contains(f.ownerText[i], needle) {
			if !w.add(o) {
				break
			}
		}
	}
	return w.rows, nil
}

// window collects one page of matches as a paged query returns it: the
// rows before the offset are counted, not kept, and the scan stops once
// the page is full, so a keystroke costs the fake what a query costs the
// store, not a copy of every row.
type window[T any] struct {
	skip, limit int
	rows        []T
}

func newWindow[T any](q portal.Query) *window[T] {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	return &window[T]{skip: q.Offset, limit: limit}
}

// add takes a match; false once the page is full.
func (w *window[T]) add(r T) bool {
	if w.skip > 0 {
		w.skip--
		return true
	}
	if w.rows == nil {
		w.rows = make([]T, 0, min(w.limit, 256))
	}
	w.rows = append(w.rows, r)
	return len(w.rows) < w.limit
}

// indexText lower-cases, once, the text a filter matches on each user and
// owner row: every column the row shows, as the store matches it.
func (f *Fake) indexText() {
	f.userText = make([]string, len(f.users))
	for i, u := range f.users {
		f.userText[i] = strings.ToLower(strings.Join([]string{u.Name, u.Email, string(u.UserID), string(u.OwnerID), userWords(u)}, "\x00"))
	}
	f.ownerText = make([]string, len(f.owners))
	for i, o := range f.owners {
		f.ownerText[i] = strings.ToLower(strings.Join([]string{o.Name, o.Email, string(o.OwnerID), string(o.UserID), string(o.UserIDIncludingInactive), ownerWords(o)}, "\x00"))
	}
}

func (f *Fake) owner(id hubspot.OwnerID) (portal.OwnerRow, bool) {
	for _, o := range f.owners {
		if o.OwnerID == id {
			return o, true
		}
	}
	return portal.OwnerRow{}, false
}

func (f *Fake) user(id hubspot.UserID) (portal.UserRow, bool) {
	for _, u := range f.users {
		if u.UserID == id {
			return u, true
		}
	}
	return portal.UserRow{}, false
}

// contact generates contact i deterministically.
func (f *Fake) contact(i int) portal.ContactRow {
	name := personName(i*7 + 3)
	c := portal.ContactRow{
		ContactID:    hubspot.ContactID(strconv.Itoa(FirstContactID + i)),
		Name:         name,
		Email:        fmt.Sprintf("%s.%d@example.com", strings.ToLower(strings.ReplaceAll(name, " ", ".")), i),
		OwnerID:      f.contactOwners[i%len(f.contactOwners)],
		LastModified: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
	switch o, ok := f.owner(c.OwnerID); {
	case c.OwnerID == "":
		c.OwnerState = portal.OwnerNone
	case !ok:
		c.OwnerState = portal.OwnerUnknown
	case o.Archived:
		c.OwnerState, c.OwnerName = portal.OwnerArchived, o.Name
	default:
		c.OwnerState, c.OwnerName = portal.OwnerActive, o.Name
	}
	if i == 4 {
		c.Name = "=HYPERLINK(\"http://evil\")" // a formula, for export escaping
	}
	return c
}

func (f *Fake) contactMatches(q portal.Query, i int) (portal.ContactRow, bool) {
	if q.OwnerID != "" && f.contactOwners[i%len(f.contactOwners)] != q.OwnerID {
		return portal.ContactRow{}, false
	}
	c := f.contact(i)
	return c, matches(q.Filter, c.Name, c.Email, string(c.ContactID), string(c.OwnerID), c.OwnerName, contactOwnerWords(c))
}

// The words a row shows besides its fields, as the store matches them
// (store/row_filter.go).
func userWords(u portal.UserRow) string {
	switch {
	case u.OwnerID == "" && u.SuperAdmin:
		return "no owner · super admin"
	case u.OwnerID == "":
		return "no owner"
	case u.SuperAdmin:
		return "super admin"
	}
	return ""
}

func ownerWords(o portal.OwnerRow) string {
	switch {
	case o.Archived:
		return "deactivated archived"
	case o.Type == hubspot.OwnerQueue:
		return "queue"
	case o.UserID == "":
		return "no user"
	}
	return ""
}

func contactOwnerWords(c portal.ContactRow) string {
	switch c.OwnerState {
	case portal.OwnerNone:
		return "no owner"
	case portal.OwnerUnknown:
		return "? unknown"
	case portal.OwnerArchived:
		return "deactivated archived"
	}
	return ""
}

func (f *Fake) Contacts(ctx context.Context, q portal.Query) ([]portal.ContactRow, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []portal.ContactRow
	seen := 0
	for i := 0; i < f.cfg.Contacts && len(out) < limit; i++ {
		if q.Filter == "" && q.OwnerID == "" {
			// Unfiltered: jump straight to the offset, flat in N.
			i = q.Offset
			for ; i < f.cfg.Contacts && len(out) < limit; i++ {
				out = append(out, f.contact(i))
			}
			break
		}
		c, ok := f.contactMatches(q, i)
		if !ok {
			continue
		}
		if seen >= q.Offset {
			out = append(out, c)
		}
		seen++
	}
	return out, nil
}

func (f *Fake) CountContacts(ctx context.Context, q portal.Query) (int, error) {
	if err := f.enter(ctx); err != nil {
		return 0, err
	}
	if q.Filter == "" && q.OwnerID == "" {
		return f.cfg.Contacts, nil
	}
	if q.Filter == "" {
		return f.ownerShare(q.OwnerID), nil // a count by an index, as the store has
	}
	n := 0
	for i := range f.cfg.Contacts {
		if _, ok := f.contactMatches(q, i); ok {
			n++
		}
	}
	return n, nil
}

func (f *Fake) cardFor(u *portal.UserRow, o *portal.OwnerRow) portal.IDCard {
	var c portal.IDCard
	if o != nil {
		c.Name, c.Email, c.OwnerID, c.OwnerType, c.OwnerArchived = o.Name, o.Email, o.OwnerID, o.Type, o.Archived
		c.ContactCount = o.ContactCount
		c.PrimaryTeam = o.PrimaryTeamName
		c.Active = !o.Archived && o.Type == hubspot.OwnerPerson
		c.NoUser = c.Active && o.UserIDIncludingInactive == ""
	}
	if u != nil {
		c.Name, c.Email, c.UserID, c.CRMUserID, c.InternalUserID = u.Name, u.Email, u.UserID, u.CRMUserID, u.UserID
		c.CRMOwnerID = u.OwnerID
		c.Active, c.SuperAdmin, c.PrimaryTeam, c.PrimaryRoleID = true, u.SuperAdmin, u.PrimaryTeamName, u.PrimaryRoleID
		for _, t := range u.SecondaryTeamIDs {
			c.SecondaryTeams = append(c.SecondaryTeams, map[hubspot.TeamID]string{"1": "Sales", "2": "Support"}[t])
		}
		for i, r := range u.RoleIDs {
			c.Roles = append(c.Roles, portal.RoleRef{ID: r, Name: u.RoleNames[i], Primary: r == u.PrimaryRoleID})
		}
		if c.OwnerID == "" {
			c.OwnerID = u.OwnerID
		}
		c.ContactCount = u.ContactCount
	}
	if c.OwnerID != "" {
		c.Holdings = f.holdings(c.OwnerID, c.ContactCount)
	}
	if u != nil && len(u.RoleIDs) > 1 {
		c.Mismatches = append(c.Mismatches, fmt.Sprintf("%d roles: a user update through the API keeps only the primary role and drops the other %d.", len(u.RoleIDs), len(u.RoleIDs)-1))
	}
	if u != nil && u.OwnerID == "" {
		c.Mismatches = append(c.Mismatches, "This user has no owner, so no contact can be assigned to them.")
	}
	if u != nil {
		if o, ok := f.owner(hubspot.OwnerID(u.UserID)); ok && o.UserID != u.UserID {
			c.Mismatches = append(c.Mismatches, fmt.Sprintf("User ID %s is also the owner ID of %s: writing it into hubspot_owner_id assigns contacts to %s.", u.UserID, o.Name, o.Name))
		}
	}
	if c.NoUser && u == nil {
		c.Mismatches = append(c.Mismatches, fmt.Sprintf("Owner %s is an owner with no HubSpot user, e.g. synced from Salesforce: it is active and contacts can be assigned to it.", o.OwnerID))
	}
	if o != nil && o.Archived {
		c.UserID = ""
		c.Mismatches = append(c.Mismatches, fmt.Sprintf("Owner %s is archived (user %s was deactivated) and still owns %d contacts.", o.OwnerID, o.UserIDIncludingInactive, o.ContactCount))
	}
	return c
}

func (f *Fake) IDCardForUser(ctx context.Context, id hubspot.UserID) (portal.IDCard, error) {
	if err := f.enter(ctx); err != nil {
		return portal.IDCard{}, err
	}
	u, ok := f.user(id)
	if !ok {
		return portal.IDCard{}, fmt.Errorf("user %s is not in the mirror", id)
	}
	var op *portal.OwnerRow
	if o, ok := f.owner(u.OwnerID); ok {
		op = &o
	}
	return f.cardFor(&u, op), nil
}

func (f *Fake) IDCardForOwner(ctx context.Context, id hubspot.OwnerID) (portal.IDCard, error) {
	if err := f.enter(ctx); err != nil {
		return portal.IDCard{}, err
	}
	o, ok := f.owner(id)
	if !ok {
		return portal.IDCard{}, fmt.Errorf("owner %s is not in the mirror", id)
	}
	var up *portal.UserRow
	if u, ok := f.user(o.UserID); ok {
		up = &u
	}
	return f.cardFor(up, &o), nil
}

func (f *Fake) Resolve(ctx context.Context, input string) (portal.Resolution, error) {
	if err := f.enter(ctx); err != nil {
		return portal.Resolution{}, err
	}
	in := strings.TrimSpace(input)
	res := portal.Resolution{Input: in}
	if o, ok := f.owner(hubspot.OwnerID(in)); ok {
		c, _ := f.IDCardForOwner(ctx, o.OwnerID)
		res.Matches = append(res.Matches, portal.Match{Scheme: "owner ID", Card: c})
	}
	if u, ok := f.user(hubspot.UserID(in)); ok {
		c, _ := f.IDCardForUser(ctx, u.UserID)
		res.Matches = append(res.Matches, portal.Match{Scheme: "user ID", Card: c})
	}
	for _, u := range f.users {
		if string(u.CRMUserID) == in {
			c, _ := f.IDCardForUser(ctx, u.UserID)
			res.Matches = append(res.Matches, portal.Match{Scheme: "CRM user record ID", Card: c})
		}
		if strings.EqualFold(u.Email, in) {
			c, _ := f.IDCardForUser(ctx, u.UserID)
			res.Matches = append(res.Matches, portal.Match{Scheme: "email", Card: c})
		}
	}
	if _, ok := f.owner(hubspot.OwnerID(in)); !ok && hubspot.IsNumeric(in) {
		res.HeldAsOwnerID = f.holdings(hubspot.OwnerID(in), 0) // records beyond contacts
	}
	people := map[string]bool{}
	for _, m := range res.Matches {
		people[m.Card.Email] = true
	}
	res.Ambiguous = len(people) > 1
	return res, nil
}

func (f *Fake) Findings(ctx context.Context) ([]portal.Finding, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	unknown := portal.Finding{Kind: "unknown-owner", Title: "Contacts owned by an owner ID that does not exist",
		Why: "hubspot_owner_id holds a number no owner has; often a user ID written where an owner ID belongs."}
	for i := 0; i < f.cfg.Contacts && len(unknown.Records) < 5; i++ {
		if f.contactOwners[i%len(f.contactOwners)] == UnknownOwnerID {
			unknown.Records = append(unknown.Records, portal.FindingRecord{Label: "contact " + strconv.Itoa(FirstContactID+i), ContactID: hubspot.ContactID(strconv.Itoa(FirstContactID + i)), OwnerID: UnknownOwnerID})
		}
	}
	gus, _ := f.owner(ArchivedOwner)
	unknown.Count = f.cfg.Contacts / len(f.contactOwners)
	return append([]portal.Finding{
		{Kind: "archived-owner", Title: "Archived owners still holding contacts", Count: 1,
			Why:     "The user was deactivated; the owner was archived but its contacts were never reassigned.",
			Records: []portal.FindingRecord{{Label: fmt.Sprintf("Gus Hale (%d contacts)", gus.ContactCount), UserID: gus.UserIDIncludingInactive, OwnerID: ArchivedOwner}}},
		unknown,
		{Kind: "no-owner", Title: "Users without an owner", Count: 1,
			Why:     "Contacts cannot be assigned to these users until HubSpot creates their owner.",
			Records: []portal.FindingRecord{{Label: "Cy Dunn", UserID: NoOwnerUser}}},
		{Kind: "id-collision", Title: "User IDs that equal another person's owner ID", Count: 1,
			Why:     "Writing Dee Park's user ID into hubspot_owner_id silently assigns the contact to Eli Moss.",
			Records: []portal.FindingRecord{{Label: "Dee Park (user 5003)", UserID: CollidingUser}, {Label: "Eli Moss (owner 5003)", OwnerID: CollidingOwner}}},
		{Kind: "multi-role", Title: "Users with more than one role", Count: 2,
			Why:     "A user update through the API keeps one role and silently drops the rest.",
			Records: []portal.FindingRecord{{Label: "Ana Lopez (3 roles)", UserID: MultiRoleUser}, {Label: "Fay Wong (2 roles)", UserID: "105"}}},
	}, f.recordFindings()...), nil
}

func (f *Fake) Sync(ctx context.Context, progress chan<- portal.SyncProgress) error {
	if err := f.enter(ctx); err != nil {
		return err
	}
	for _, phase := range []string{"users", "owners", "contacts"} {
		total := map[string]int{"users": len(f.users), "owners": len(f.owners), "contacts": f.cfg.Contacts}[phase]
		for s := 1; s <= f.cfg.SyncSteps; s++ {
			p := portal.SyncProgress{Phase: phase, Done: total * s / f.cfg.SyncSteps, Total: total, PerSecond: 120}
			select {
			case progress <- p:
			case <-ctx.Done():
				return ctx.Err()
			}
			if f.cfg.SyncDelay > 0 {
				select {
				case <-time.After(f.cfg.SyncDelay):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}
	f.mu.Lock()
	f.syncs++
	f.lastSync = f.lastSync.Add(time.Hour)
	f.mu.Unlock()
	return nil
}

func (f *Fake) LastSync(ctx context.Context) (time.Time, error) {
	if err := f.enter(ctx); err != nil {
		return time.Time{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastSync, nil
}
