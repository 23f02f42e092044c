package hubspottest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// recordSet holds up to a million records of one object type without storing
// them, as contactSet does for contacts: every generated value derives from
// (seed, type, index) on demand and only what clients changed is kept, in
// patches. IDs ascend with the index: idBase + i*3 + jitter(i).
//
// It is the generic store for every type but contacts; contacts could move
// onto it later (their generator and patches have the same shape).
type recordSet struct {
	t        *objectType
	seed     uint64
	n        int
	anchorMs int64
	owners   *recordOwnerPool
	patches  map[int]*contactPatch
	rejects  map[int]bool // records whose writes fail validation (SetRejectRecordWrites)
}

// recordOwnerPool is where generated owner values come from: the contacts'
// pool (active, archived, queue, a dangling ID) plus user IDs, written where
// an owner ID belongs.
type recordOwnerPool struct {
	contactOwnerPool
	userIDs     []string
	firstOwners []string // owners of the first records, one of each kind
}

func newRecordSet(t *objectType, seed uint64, n int, anchor time.Time, owners *recordOwnerPool) *recordSet {
	return &recordSet{t: t, seed: seed ^ t.salt*0x9e3779b97f4a7c15, n: n, anchorMs: anchor.UnixMilli(), owners: owners, patches: map[int]*contactPatch{}}
}

// mix is splitmix64 over (seed, index, field), like contactSet.mix but on
// the type's own stream, so adding types never changes contacts.
func (rs *recordSet) mix(i int, field uint64) uint64 {
	z := rs.seed*0xbf58476d1ce4e5b9 + uint64(i)*0x94d049bb133111eb + field*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (rs *recordSet) id(i int) uint64 {
	return rs.t.idBase + uint64(i)*objectIDStride + rs.mix(i, 0)%objectIDStride
}

func (rs *recordSet) indexOf(id string) (int, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n < rs.t.idBase {
		return 0, false
	}
	i := int((n - rs.t.idBase) / objectIDStride)
	if i >= rs.n || rs.id(i) != n {
		return 0, false
	}
	return i, true
}

// firstIndexFrom is the index of the first record whose ID is ≥ id.
func (rs *recordSet) firstIndexFrom(id uint64) int {
	if id <= rs.t.idBase {
		return 0
	}
	i := int((id - rs.t.idBase) / objectIDStride)
	if i >= rs.n {
		return rs.n
	}
	if rs.id(i) < id {
		i++
	}
	return i
}

// recordView reads one record: generated values overlaid with patches.
type recordView struct {
	rs    *recordSet
	i     int
	patch *contactPatch
}

func (rs *recordSet) view(i int) recordView {
	return recordView{rs: rs, i: i, patch: rs.patches[i]}
}

func (r recordView) numericID() uint64 { return r.rs.id(r.i) }

func (r recordView) modified() int64 {
	if r.patch != nil {
		return r.patch.modified
	}
	return r.rs.anchorMs - int64(r.rs.mix(r.i, 1)%yearMs)
}

func (r recordView) created() int64 {
	gen := r.rs.anchorMs - int64(r.rs.mix(r.i, 1)%yearMs)
	return gen - int64(r.rs.mix(r.i, 2)%(2*yearMs))
}

func (r recordView) millis(prop string) (int64, bool) {
	switch prop {
	case r.rs.t.created:
		return r.created(), true
	case "hs_lastmodifieddate":
		return r.modified(), true
	}
	if d := r.rs.t.prop(prop); d != nil && d.isDate() {
		v, ok := r.value(prop)
		if !ok {
			return 0, false
		}
		return parseDateValue(v)
	}
	return 0, false
}

// value returns a property's value; false when the record has none.
func (r recordView) value(prop string) (string, bool) {
	switch prop { // computed from other properties, never patched
	case "hs_is_closed", "hs_is_closed_won":
		stageID, _ := r.value("dealstage")
		_, st := r.rs.t.stage(stageID)
		if st == nil {
			return "", false
		}
		return strconv.FormatBool(st.closed && (prop == "hs_is_closed" || st.won)), true
	}
	if r.patch != nil {
		if v, ok := r.patch.props[prop]; ok {
			return v, v != ""
		}
	}
	if prop == "pipeline" || prop == "hs_pipeline" { // generated records: the pipeline of their stage
		stageProp := map[string]string{"pipeline": "dealstage", "hs_pipeline": "hs_pipeline_stage"}[prop]
		stageID, _ := r.value(stageProp)
		if p, _ := r.rs.t.stage(stageID); p != nil {
			return p.id, true
		}
		return "", false
	}
	v := r.generated(prop)
	return v, v != ""
}

// Field numbers of the generated stream; each property draws its own.
const (
	fieldOwner = 10 + iota
	fieldOwnerProp
	fieldName
	fieldChoice
	fieldAmount
	fieldDate
)

func (r recordView) generated(prop string) string {
	t := r.rs.t
	h := r.rs.mix(r.i, fieldChoice)
	switch prop {
	case "hs_object_id":
		return strconv.FormatUint(r.numericID(), 10)
	case t.created, "hs_lastmodifieddate":
		ms, _ := r.millis(prop)
		return hubTime(millisTime(ms))
	case "hubspot_owner_id":
		return r.rs.owners.pick(r.i, r.rs.mix(r.i, fieldOwner))
	case "name":
		return r.companyName()
	case "domain":
		return strings.ToLower(strings.ReplaceAll(r.companyName(), " ", "")) + ".example"
	case "city":
		return cities[(h>>8)%uint64(len(cities))]
	case "dealname":
		return r.companyWord() + " " + dealKinds[(h>>16)%uint64(len(dealKinds))]
	case "amount":
		return strconv.FormatUint(500+r.rs.mix(r.i, fieldAmount)%200_000, 10)
	case "closedate":
		return hubTime(millisTime(r.created() + int64(r.rs.mix(r.i, fieldDate)%(yearMs/2))))
	case "subject":
		return ticketSubjects[(h>>16)%uint64(len(ticketSubjects))] + " #" + strconv.Itoa(r.i+1)
	case "content":
		return "Reported by the customer; see the thread for details."
	case "project_name":
		return r.companyWord() + " rollout " + strconv.Itoa(r.i+1)
	case "dealstage", "hs_pipeline_stage":
		return t.stages[(h>>24)%uint64(len(t.stages))].value
	}
	d := t.prop(prop)
	if d == nil {
		return ""
	}
	switch {
	case d.multi():
		return r.rs.owners.pickMany(r.i, r.rs.mix(r.i, fieldOwnerProp))
	case d.owner:
		if r.rs.mix(r.i, fieldOwnerProp)%3 == 0 { // most records leave a custom owner property empty
			return r.rs.owners.pick(r.i, r.rs.mix(r.i, fieldOwnerProp)>>8)
		}
		return ""
	case len(d.options) > 0:
		return d.options[(h>>32)%uint64(len(d.options))].value
	}
	return ""
}

func (r recordView) companyWord() string {
	return companyWords[r.rs.mix(r.i, fieldName)%uint64(len(companyWords))]
}

func (r recordView) companyName() string {
	h := r.rs.mix(r.i, fieldName)
	return companyWords[h%uint64(len(companyWords))] + " " + companySuffixes[(h>>20)%uint64(len(companySuffixes))]
}

var (
	companyWords    = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Nakatomi", "Oscorp", "Gringotts", "Aperture"}
	companySuffixes = []string{"Inc", "GmbH", "Ltd", "Group", "Labs", "Systems", "Partners", "AG"}
	cities          = []string{"Boston", "Berlin", "Dublin", "Tokyo", "Austin", "Lyon", "Oslo"}
	dealKinds       = []string{"annual licence", "expansion", "renewal", "pilot", "services"}
	ticketSubjects  = []string{"Cannot log in", "Invoice question", "Export fails", "Feature request", "Slow dashboard", "Data import error"}
)

// pick chooses a record's owner value from the pool, with every ID trap a
// real portal has. The first records get one of each, so small portals have
// every case.
func (pool *recordOwnerPool) pick(i int, h uint64) string {
	if fixed := pool.fixedValues(); i < len(fixed) {
		return fixed[i]
	}
	switch r := h % 1000; {
	case r < 60 || len(pool.active) == 0:
		return ""
	case r < 110 && len(pool.archived) > 0:
		return pool.archived[(h>>10)%uint64(len(pool.archived))]
	case r < 112:
		return pool.dangling
	case r < 116 && len(pool.userIDs) > 0:
		return pool.userIDs[(h>>10)%uint64(len(pool.userIDs))]
	case r < 140:
		return pool.queue
	default:
		return pool.active[(h>>10)%uint64(len(pool.active))]
	}
}

// fixedValues are the owners of the first records: the contacts' fixed
// owners (active, archived, dangling, none, queue), then a user ID.
func (pool *recordOwnerPool) fixedValues() []string { return pool.firstOwners }

// settle computes firstOwners once the pool is complete.
func (pool *recordOwnerPool) settle() {
	pool.firstOwners = slices.Clone(pool.fixed)
	if len(pool.userIDs) > 0 {
		pool.firstOwners = append(pool.firstOwners, pool.userIDs[0])
	}
}

// pickMany is a multi-select owner value: up to three owners joined by ";".
// The first records hold an active and an archived owner together, and an
// unknown ID beside an active one, so in-place edits have something to do.
func (pool *recordOwnerPool) pickMany(i int, h uint64) string {
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	switch i {
	case 0:
		return joinOwners(first(pool.active), first(pool.archived))
	case 1:
		return joinOwners(pool.dangling, first(pool.active))
	case 2:
		return first(pool.archived)
	}
	n := int(h % 4)
	var parts []string
	for k := 0; k < n; k++ {
		if v := pool.pick(len(pool.fixedValues())+i+k, h>>(8*(k+1))|uint64(k+1)<<60); v != "" && !containsString(parts, v) {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ";")
}

func joinOwners(ids ...string) string {
	var parts []string
	for _, id := range ids {
		if id != "" {
			parts = append(parts, id)
		}
	}
	return strings.Join(parts, ";")
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// apply records a validated update at now; the last-modified date only
// moves forward.
func (rs *recordSet) apply(i int, props map[string]string, now time.Time) {
	prev := rs.view(i).modified()
	p := rs.patches[i]
	if p == nil {
		p = &contactPatch{props: map[string]string{}}
		rs.patches[i] = p
	}
	for k, v := range props {
		p.props[k] = v
	}
	p.modified = max(now.UnixMilli(), prev+1)
}
