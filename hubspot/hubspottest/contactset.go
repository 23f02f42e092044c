package hubspottest

import (
	"strconv"
	"strings"
	"time"
)

// contactSet holds up to a million contacts without storing them: every
// generated field derives from (seed, index) on demand, and only contacts a
// client has modified are stored, in patches.
//
// Contact IDs ascend with the index, with gaps, as in a real portal:
// id(i) = contactIDBase + i*contactIDStride + jitter(i), jitter < stride, so
// an ID maps back to at most one index.
type contactSet struct {
	seed     uint64
	n        int
	anchorMs int64
	owners   contactOwnerPool
	// customOwners is where the custom owner properties' values come
	// from: the other types' pool, user IDs included (set with them).
	customOwners *recordOwnerPool
	patches      map[int]*contactPatch
	emails       map[string]int // lower-cased email -> index, for patched emails only

	// Knobs (batchrules.go): contacts whose writes fail validation, and
	// merges (merged-away index → survivor index, survivor → merged IDs).
	rejects       map[int]bool
	merged        map[int]int
	absorbed      map[int][]uint64
	mergedLeftOut bool
}

type contactOwnerPool struct {
	active   []string // active person owners
	archived []string // owners of deactivated users
	queue    string
	dangling string   // an owner ID that matches no owner
	unlinked []string // active person owners without a HubSpot user (see unlinked.go)
	fixed    []string // owners of the first contacts, so small portals have every case
}

// contactPatch is what clients changed on one contact. An empty value means
// the property was cleared.
type contactPatch struct {
	props    map[string]string
	modified int64 // ms
}

const (
	contactIDBase   = 10_001
	contactIDStride = 3
	yearMs          = 365 * 24 * 3600 * 1000
)

// Contact properties the sandbox knows. Others are PROPERTY_DOESNT_EXIST on write.
var (
	contactPropertyNames = []string{
		"createdate", contactCSMProperty, "email", "firstname", "hs_merged_object_ids", "hs_object_id", "hubspot_owner_id",
		"jobtitle", "lastmodifieddate", "lastname", "lifecyclestage", "phone", contactSupportProperty,
	}
	contactDefaultProperties = []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}
	contactWritable          = map[string]bool{
		"email": true, "firstname": true, "lastname": true, "hubspot_owner_id": true,
		"jobtitle": true, "lifecyclestage": true, "phone": true,
		contactCSMProperty: true, contactSupportProperty: true,
	}
	contactReadOnly = map[string]bool{"createdate": true, "hs_merged_object_ids": true, "hs_object_id": true, "lastmodifieddate": true}
	contactDates    = map[string]bool{"createdate": true, "lastmodifieddate": true}
	lifecycleStages = []string{"subscriber", "lead", "marketingqualifiedlead", "opportunity", "customer"}
)

func newContactSet(seed uint64, n int, anchor time.Time, owners contactOwnerPool) *contactSet {
	return &contactSet{
		seed: seed, n: n, anchorMs: anchor.UnixMilli(), owners: owners,
		patches: map[int]*contactPatch{}, emails: map[string]int{},
	}
}

// mix is splitmix64 over (seed, index, field): a cheap, well-spread hash.
func (cs *contactSet) mix(i int, field uint64) uint64 {
	z := cs.seed*0x9e3779b97f4a7c15 + uint64(i)*0xbf58476d1ce4e5b9 + field*0x94d049bb133111eb + 0x2545f4914f6cdd1d
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (cs *contactSet) id(i int) uint64 {
	return contactIDBase + uint64(i)*contactIDStride + cs.mix(i, 4)%contactIDStride
}

// indexOf maps a contact ID back to its index.
func (cs *contactSet) indexOf(id string) (int, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n < contactIDBase {
		return 0, false
	}
	i := int((n - contactIDBase) / contactIDStride)
	if i >= cs.n || cs.id(i) != n {
		return 0, false
	}
	return i, true
}

// firstIndexFrom is the index of the first contact whose ID is ≥ id: the
// position an `after` cursor points to.
func (cs *contactSet) firstIndexFrom(id uint64) int {
	if id <= contactIDBase {
		return 0
	}
	i := int((id - contactIDBase) / contactIDStride)
	if i >= cs.n {
		return cs.n
	}
	if cs.id(i) < id {
		i++
	}
	return i
}

// indexByEmail finds a contact by email (case-insensitive).
func (cs *contactSet) indexByEmail(email string) (int, bool) {
	email = strings.ToLower(email)
	if i, ok := cs.emails[email]; ok && strings.EqualFold(cs.view(i).email(), email) {
		return i, true
	}
	// Generated emails end their local part with the index.
	local, _, ok := strings.Cut(email, "@")
	if !ok {
		return 0, false
	}
	j := len(local)
	for j > 0 && local[j-1] >= '0' && local[j-1] <= '9' {
		j--
	}
	i, err := strconv.Atoi(local[j:])
	if err != nil || i >= cs.n {
		return 0, false
	}
	if strings.EqualFold(cs.view(i).email(), email) {
		return i, true
	}
	return 0, false
}

// contactView reads one contact: its generated fields overlaid with patches.
// It is a small value so that scans over a million contacts do not allocate.
type contactView struct {
	cs    *contactSet
	i     int
	patch *contactPatch
}

func (cs *contactSet) view(i int) contactView {
	return contactView{cs: cs, i: i, patch: cs.patches[i]}
}

func (c contactView) id() uint64        { return c.cs.id(c.i) }
func (c contactView) numericID() uint64 { return c.cs.id(c.i) }

func (c contactView) firstName() name {
	switch c.i {
	case 7:
		return rtlFirst
	case 11:
		return emojiFirst
	}
	return firstNames[c.cs.mix(c.i, 0)%uint64(len(firstNames))]
}

func (c contactView) lastName() name {
	switch c.i {
	case 7:
		return rtlLast
	case 11:
		return emojiLast
	}
	return lastNames[(c.cs.mix(c.i, 0)>>16)%uint64(len(lastNames))]
}

func (c contactView) generatedEmail() string {
	h := c.cs.mix(c.i, 0)
	return c.firstName().ascii + "." + c.lastName().ascii + strconv.Itoa(c.i) + "@" + contactDomains[(h>>32)%uint64(len(contactDomains))]
}

func (c contactView) email() string {
	v, _ := c.value("email")
	return v
}

// unlinkedOwnerShare is, in thousandths, how many contacts owners without
// users hold: about one in a hundred and seventy.
const unlinkedOwnerShare = 6

func (c contactView) generatedOwner() string {
	pool := &c.cs.owners
	if c.i < len(pool.fixed) {
		return pool.fixed[c.i]
	}
	h := c.cs.mix(c.i, 1)
	switch r := h % 1000; {
	case r < unlinkedOwnerShare && len(pool.unlinked) > 0:
		// Taken from the unowned share, so no other owner's contacts change.
		return pool.unlinked[(h>>10)%uint64(len(pool.unlinked))]
	case r < 60 || len(pool.active) == 0:
		return ""
	case r < 110 && len(pool.archived) > 0:
		return pool.archived[(h>>10)%uint64(len(pool.archived))]
	case r < 112:
		return pool.dangling
	case r < 140:
		return pool.queue
	default:
		return pool.active[(h>>10)%uint64(len(pool.active))]
	}
}

func (c contactView) modified() int64 {
	if c.patch != nil {
		return c.patch.modified
	}
	return c.cs.anchorMs - int64(c.cs.mix(c.i, 2)%yearMs)
}

func (c contactView) created() int64 {
	gen := c.cs.anchorMs - int64(c.cs.mix(c.i, 2)%yearMs)
	return gen - int64(c.cs.mix(c.i, 3)%(2*yearMs))
}

// millis returns a date property as epoch milliseconds.
func (c contactView) millis(prop string) (int64, bool) {
	switch prop {
	case "createdate":
		return c.created(), true
	case "lastmodifieddate":
		return c.modified(), true
	}
	return 0, false
}

// value returns a property's value; false when the contact has none.
func (c contactView) value(prop string) (string, bool) {
	if c.patch != nil {
		if v, ok := c.patch.props[prop]; ok {
			return v, v != ""
		}
	}
	var v string
	switch prop {
	case "email":
		v = c.generatedEmail()
	case "firstname":
		v = c.firstName().display
	case "lastname":
		v = c.lastName().display
	case "hubspot_owner_id":
		v = c.generatedOwner()
	case "hs_object_id":
		v = strconv.FormatUint(c.id(), 10)
	case "hs_merged_object_ids":
		v = c.cs.mergedIDs(c.i)
	case "createdate", "lastmodifieddate":
		ms, _ := c.millis(prop)
		v = hubTime(millisTime(ms))
	case "jobtitle":
		v = jobTitles[(c.cs.mix(c.i, 5)>>8)%uint64(len(jobTitles))]
	case "lifecyclestage":
		v = lifecycleStages[(c.cs.mix(c.i, 5)>>24)%uint64(len(lifecycleStages))]
	case contactCSMProperty, contactSupportProperty:
		v = c.customOwnerValue(prop)
	case "phone":
		if h := c.cs.mix(c.i, 6); h%4 != 0 {
			v = "+1 555 01" + strconv.Itoa(10+int(h>>8)%90)
		}
	}
	return v, v != ""
}

// apply records a validated property update at time now.
func (cs *contactSet) apply(i int, props map[string]string, now time.Time) {
	prev := cs.view(i).modified()
	p := cs.patches[i]
	if p == nil {
		p = &contactPatch{props: map[string]string{}}
		cs.patches[i] = p
	}
	for k, v := range props {
		p.props[k] = v
		if k == "email" && v != "" {
			cs.emails[strings.ToLower(v)] = i
		}
	}
	// Timestamps only move forward, even if the injected clock does not.
	p.modified = max(now.UnixMilli(), prev)
}
