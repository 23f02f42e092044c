package hubspottest

import (
	"strconv"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Contacts' custom owner properties (issue 15): a single-select ("Customer
// success manager") and a multi-select ("Support team", owner IDs joined by
// ";"), generated like the other types' custom owner properties, with every
// ID trap (archived owners, an unknown ID, user IDs), and writable with the
// same validation.

const (
	contactCSMProperty     = "customer_success_manager"
	contactSupportProperty = "support_team"
)

var contactOwnerPropDefs = []propDef{
	{name: contactCSMProperty, label: "Customer success manager", group: "contactinformation", typ: "enumeration", fieldType: "select", owner: true},
	{name: contactSupportProperty, label: "Support team", group: "contactinformation", typ: "enumeration", fieldType: "checkbox", owner: true},
}

// Field numbers of the contacts' stream for the custom owner properties,
// past those of the built-in properties so that adding them changed none.
const (
	contactFieldCSM     = 20
	contactFieldSupport = 21
)

// contactOwnerProp is the custom owner property named name; nil for any
// other property.
func contactOwnerProp(name string) *propDef {
	for k := range contactOwnerPropDefs {
		if contactOwnerPropDefs[k].name == name {
			return &contactOwnerPropDefs[k]
		}
	}
	return nil
}

// customOwnerValue is a contact's generated value of a custom owner
// property. The first contacts hold one of each kind of owner value, so
// small portals have every case; after them about one contact in three has
// a customer success manager and one in four a support team.
func (c contactView) customOwnerValue(prop string) string {
	pool := c.cs.customOwners
	if pool == nil {
		return ""
	}
	switch prop {
	case contactCSMProperty:
		h := c.cs.mix(c.i, contactFieldCSM)
		if c.i >= len(pool.fixedValues()) && h%3 != 0 {
			return ""
		}
		return pool.pick(c.i, h>>8)
	case contactSupportProperty:
		h := c.cs.mix(c.i, contactFieldSupport)
		if c.i >= 3 && h%4 != 0 {
			return ""
		}
		return pool.pickMany(c.i, h>>4)
	}
	return ""
}

// ContactAt returns the i-th contact in ID order with every property it
// has, for tests that need one with a given property value.
func (s *Server) ContactAt(i int) (hubspot.Contact, bool) {
	s.mu.RLock()
	if i < 0 || i >= s.p.contacts.n {
		s.mu.RUnlock()
		return hubspot.Contact{}, false
	}
	id := hubspot.ContactID(strconv.FormatUint(s.p.contacts.id(i), 10))
	s.mu.RUnlock()
	return s.Contact(id)
}
