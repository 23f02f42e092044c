package hubspottest

import (
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Object counts of a default portal: modest, so tests stay fast; records
// are generated lazily, so any count up to maxObjectRecords costs nothing
// up front.
const (
	defaultCompanies     = 400
	defaultDeals         = 600
	defaultTickets       = 300
	defaultCustomRecords = 150
	maxObjectRecords     = 1_000_000
)

// objectCount applies a count knob: 0 is the default, negative none.
func objectCount(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return min(n, maxObjectRecords)
}

// addObjects generates companies, deals, tickets and the custom object's
// records from the portal's owners. It draws from its own stream (a seed
// derived from cfg.Seed), after users, owners and contacts exist, so they
// are the same as in a portal without objects.
func (p *portal) addObjects(cfg Config) {
	p.objectSeed = uint64(cfg.Seed)*0xd1b54a32d192ed03 + 0x0b1ec75
	pool := &recordOwnerPool{contactOwnerPool: p.contacts.owners}
	// User IDs where an owner ID belongs: first a user whose owner ID is a
	// different number, then every active user that is not also an owner ID.
	if u := p.fixtures.ActiveOwnerUser; u != "" {
		pool.userIDs = append(pool.userIDs, string(u))
	}
	for _, u := range p.users {
		if p.ownerByID[hubspot.OwnerID(u.id)] == nil && string(u.id) != string(p.fixtures.ActiveOwnerUser) {
			pool.userIDs = append(pool.userIDs, string(u.id))
		}
	}
	pool.settle()
	p.contacts.customOwners = pool
	counts := map[string]int{
		"companies": objectCount(cfg.Companies, defaultCompanies),
		"deals":     objectCount(cfg.Deals, defaultDeals),
		"tickets":   objectCount(cfg.Tickets, defaultTickets),
		"projects":  objectCount(cfg.CustomRecords, defaultCustomRecords),
	}
	p.types = newObjectTypes(p.hubID)
	p.objects = map[string]*recordSet{}
	for _, t := range p.types {
		p.objects[t.name] = newRecordSet(t, p.objectSeed, counts[t.name], p.anchor, pool)
	}
}

// ---- accessors for tests (no HTTP) ----

// ObjectRecord is a record of companies, deals, tickets or the custom
// object with every property it has.
type ObjectRecord struct {
	ID         string
	Properties map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ObjectRecord returns a record by type (name or type ID) and ID.
func (s *Server) ObjectRecord(objectType, id string) (ObjectRecord, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.p.objectType(objectType)
	if t == nil {
		return ObjectRecord{}, false
	}
	rs := s.p.objects[t.name]
	i, ok := rs.indexOf(id)
	if !ok {
		return ObjectRecord{}, false
	}
	return rs.record(i), true
}

func (rs *recordSet) record(i int) ObjectRecord {
	r := rs.view(i)
	out := ObjectRecord{ID: itoa(int64(r.numericID())), Properties: map[string]string{}, CreatedAt: millisTime(r.created()), UpdatedAt: millisTime(r.modified())}
	for _, d := range rs.t.props {
		if v, ok := r.value(d.name); ok {
			out.Properties[d.name] = v
		}
	}
	return out
}

// ObjectRecordAt returns the i-th record of a type in ID order, for tests
// that need one with a given property.
func (s *Server) ObjectRecordAt(objectType string, i int) (ObjectRecord, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.p.objectType(objectType)
	if t == nil || i < 0 || i >= s.p.objects[t.name].n {
		return ObjectRecord{}, false
	}
	return s.p.objects[t.name].record(i), true
}

// ObjectCount is how many records a type holds.
func (s *Server) ObjectCount(objectType string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.p.objectType(objectType); t != nil {
		return s.p.objects[t.name].n
	}
	return 0
}

// CustomObjectTypeID is the custom object's type ID ("2-…").
func (s *Server) CustomObjectTypeID() string { return customObjectTypeID(s.cfg.HubID) }
