package uitest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Records beyond contacts, present with Config.Records: companies (with a
// multi-select "Account team"), deals (with a single-select "Secondary
// owner", some closed), tickets (some closed) and a custom object,
// Projects (type 2-4001, with an "Implementation lead"). Their owners hold
// every case: active, deactivated (Gus Hale), an ID no owner has (7777), a
// user ID written where an owner ID belongs (103, Cy Dunn's), none.

// ProjectsType is the fixture's custom object type.
const ProjectsType hubspot.ObjectType = "2-4001"

// UserIDAsOwner is Cy Dunn's user ID, written into some records' owner
// properties where an owner ID belongs.
const UserIDAsOwner hubspot.OwnerID = "103"

var recordTypes = []portal.RecordType{
	{Type: hubspot.ObjectCompanies, Singular: "Company", Plural: "Companies", DisplayProperty: "name",
		OwnerProperties: []hubspot.OwnerProperty{
			{Name: hubspot.PropOwnerID, Label: "Company owner", HubSpotDefined: true},
			{Name: "account_team", Label: "Account team", Multi: true},
		}},
	{Type: hubspot.ObjectDeals, Singular: "Deal", Plural: "Deals", DisplayProperty: "dealname",
		OwnerProperties: []hubspot.OwnerProperty{
			{Name: hubspot.PropOwnerID, Label: "Deal owner", HubSpotDefined: true},
			{Name: "secondary_owner", Label: "Secondary owner"},
		}},
	{Type: hubspot.ObjectTickets, Singular: "Ticket", Plural: "Tickets", DisplayProperty: "subject",
		OwnerProperties: []hubspot.OwnerProperty{{Name: hubspot.PropOwnerID, Label: "Ticket owner", HubSpotDefined: true}}},
	{Type: ProjectsType, Singular: "Project", Plural: "Projects", DisplayProperty: "project_name",
		OwnerProperties: []hubspot.OwnerProperty{
			{Name: hubspot.PropOwnerID, Label: "Project owner", HubSpotDefined: true},
			{Name: "implementation_lead", Label: "Implementation lead"},
		}},
}

// FirstRecordID is the first ID of each fixture type; record i is
// FirstRecordID[t] + i.
var FirstRecordID = map[hubspot.ObjectType]int{
	hubspot.ObjectCompanies: 8_100_000, hubspot.ObjectDeals: 8_200_000, hubspot.ObjectTickets: 8_300_000, ProjectsType: 8_400_000,
}

var companyNames = []string{"Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark Industries", "Wayne Enterprises", "Tyrell", "Cyberdyne", "Soylent", "Wonka"}
var dealKinds = []string{"renewal", "expansion", "pilot", "upsell"}
var ticketSubjects = []string{"Login fails after SSO change", "Invoice shows the wrong VAT", "Export times out", "Cannot add a seat", "Webhook retries forever"}

// recordOwners is the pattern the first owner property cycles through.
var recordOwners = []hubspot.OwnerID{AnaOwner, "5002", ArchivedOwner, "5003", UnknownOwnerID, "", "5004", DeeParkOwner, UserIDAsOwner, AnaOwner, QueueOwner}

func (f *Fake) recordType(t hubspot.ObjectType) (portal.RecordType, bool) {
	for _, rt := range recordTypes {
		if rt.Type == t {
			return rt, true
		}
	}
	return portal.RecordType{}, false
}

// record generates record i of type t deterministically.
func (f *Fake) record(t hubspot.ObjectType, i int) portal.RecordRow {
	r := portal.RecordRow{Type: t, ID: hubspot.RecordID(strconv.Itoa(FirstRecordID[t] + i)),
		LastModified: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration((i*37)%101) * time.Minute)}
	company := companyNames[i%len(companyNames)]
	var ids [][]hubspot.OwnerID // per owner property
	first := recordOwners[i%len(recordOwners)]
	one := func(id hubspot.OwnerID) []hubspot.OwnerID {
		if id == "" {
			return nil
		}
		return []hubspot.OwnerID{id}
	}
	switch t {
	case hubspot.ObjectCompanies:
		r.Name = company
		if i >= len(companyNames) {
			r.Name = fmt.Sprintf("%s %d", company, i/len(companyNames)+1)
		}
		var team []hubspot.OwnerID
		switch i % 4 {
		case 0:
			team = []hubspot.OwnerID{"5002", ArchivedOwner}
		case 2:
			team = []hubspot.OwnerID{AnaOwner, "5003", UnknownOwnerID}
		}
		ids = [][]hubspot.OwnerID{one(first), team}
	case hubspot.ObjectDeals:
		r.Name = company + " " + dealKinds[i%len(dealKinds)]
		r.Closed = i%5 == 3
		var second hubspot.OwnerID
		if i%3 == 1 {
			second = []hubspot.OwnerID{"5004", ArchivedOwner, UserIDAsOwner}[(i/3)%3]
		}
		ids = [][]hubspot.OwnerID{one(first), one(second)}
	case hubspot.ObjectTickets:
		r.Name = ticketSubjects[i%len(ticketSubjects)]
		r.Closed = i%4 == 1
		ids = [][]hubspot.OwnerID{one(first)}
	case ProjectsType:
		r.Name = "Onboarding " + company
		lead := []hubspot.OwnerID{DeeParkOwner, "", ArchivedOwner, AnaOwner}[i%4]
		ids = [][]hubspot.OwnerID{one(first), one(lead)}
	}
	rt, _ := f.recordType(t)
	for p, held := range ids {
		for _, id := range held {
			r.Owners = append(r.Owners, f.ownerCell(rt.OwnerProperties[p].Name, id))
		}
	}
	return r
}

func (f *Fake) ownerCell(prop string, id hubspot.OwnerID) portal.RecordOwnerCell {
	c := portal.RecordOwnerCell{Property: prop, OwnerID: id, State: portal.OwnerUnknown}
	if o, ok := f.owner(id); ok {
		c.OwnerName, c.State = o.Name, portal.OwnerActive
		if o.Archived {
			c.State = portal.OwnerArchived
		}
	}
	return c
}

func (f *Fake) records(t hubspot.ObjectType) []portal.RecordRow {
	if _, ok := f.recordType(t); !ok {
		return nil
	}
	out := make([]portal.RecordRow, f.cfg.Records)
	for i := range out {
		out[i] = f.record(t, i)
	}
	return out
}

// recordWords is what a record row shows besides its name and IDs, as the
// store matches it (store/records_list.go).
func recordWords(r portal.RecordRow) []string {
	words := []string{r.Name, string(r.ID)}
	if r.Closed {
		words = append(words, "closed")
	}
	if len(r.Owners) == 0 {
		words = append(words, "no owner")
	}
	for _, c := range r.Owners {
		words = append(words, string(c.OwnerID), c.OwnerName)
		switch c.State {
		case portal.OwnerArchived:
			words = append(words, "deactivated archived")
		case portal.OwnerUnknown:
			words = append(words, "? unknown")
		}
	}
	return words
}

// inFinding says whether cell c belongs to a records-* findings kind.
func (f *Fake) inFinding(kind string, c portal.RecordOwnerCell) bool {
	_, isUser := f.user(hubspot.UserID(c.OwnerID))
	switch kind {
	case portal.FindingRecordsDeactivatedOwner:
		return c.State == portal.OwnerArchived
	case portal.FindingRecordsUnknownOwner:
		return c.State == portal.OwnerUnknown && !isUser
	case portal.FindingRecordsUserIDAsOwner:
		return c.State == portal.OwnerUnknown && isUser
	}
	return false
}

func (f *Fake) recordMatches(q portal.RecordQuery, r portal.RecordRow) bool {
	if q.OwnerID != "" && !slices.ContainsFunc(r.Owners, func(c portal.RecordOwnerCell) bool {
		return c.OwnerID == q.OwnerID && (q.Property == "" || c.Property == q.Property)
	}) {
		return false
	}
	if q.Finding != "" && !slices.ContainsFunc(r.Owners, func(c portal.RecordOwnerCell) bool {
		return (q.Property == "" || c.Property == q.Property) && f.inFinding(q.Finding, c)
	}) {
		return false
	}
	return matches(q.Filter, recordWords(r)...)
}

func (f *Fake) selectRecords(q portal.RecordQuery) []portal.RecordRow {
	var out []portal.RecordRow
	for _, r := range f.records(q.Type) {
		if f.recordMatches(q, r) {
			out = append(out, r)
		}
	}
	firstOwner := func(r portal.RecordRow) string {
		if len(r.Owners) == 0 || r.Owners[0].Property != hubspot.PropOwnerID {
			return ""
		}
		return string(r.Owners[0].OwnerID)
	}
	switch q.Sort {
	case "name":
		slices.SortStableFunc(out, func(a, b portal.RecordRow) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
		})
	case "owner":
		slices.SortStableFunc(out, func(a, b portal.RecordRow) int {
			return cmp.Or(cmp.Compare(firstOwner(a), firstOwner(b)), cmp.Compare(a.ID, b.ID))
		})
	case "modified":
		slices.SortStableFunc(out, func(a, b portal.RecordRow) int {
			return cmp.Or(b.LastModified.Compare(a.LastModified), cmp.Compare(b.ID, a.ID))
		})
	}
	return out
}

// RecordTypes lists the fixture types when Config.Records is set.
func (f *Fake) RecordTypes(ctx context.Context) ([]portal.RecordType, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	if f.cfg.Records == 0 {
		return nil, nil
	}
	return slices.Clone(recordTypes), nil
}

func (f *Fake) Records(ctx context.Context, q portal.RecordQuery) ([]portal.RecordRow, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	return page(f.selectRecords(q), portal.Query{Offset: q.Offset, Limit: q.Limit}), nil
}

func (f *Fake) CountRecords(ctx context.Context, q portal.RecordQuery) (int, error) {
	if err := f.enter(ctx); err != nil {
		return 0, err
	}
	return len(f.selectRecords(q)), nil
}

// holdings counts what owner ID id holds per type and property, contacts
// first, as store.OwnerHoldings does.
func (f *Fake) holdings(id hubspot.OwnerID, contacts int) []portal.Holding {
	if f.cfg.Records == 0 {
		return nil
	}
	var out []portal.Holding
	if contacts > 0 {
		out = append(out, portal.Holding{Type: hubspot.ObjectContacts, TypeLabel: "Contacts", TypeSingular: "Contact",
			Property: hubspot.PropOwnerID, PropertyLabel: "Contact owner", Count: contacts, Open: contacts})
	}
	for _, rt := range recordTypes {
		for _, p := range rt.OwnerProperties {
			h := portal.Holding{Type: rt.Type, TypeLabel: rt.Plural, TypeSingular: rt.Singular, Property: p.Name, PropertyLabel: p.Label}
			for _, r := range f.records(rt.Type) {
				if slices.ContainsFunc(r.Owners, func(c portal.RecordOwnerCell) bool { return c.Property == p.Name && c.OwnerID == id }) {
					h.Count++
					if !r.Closed {
						h.Open++
					}
				}
			}
			if h.Count > 0 {
				out = append(out, h)
			}
		}
	}
	return out
}

var recordFindingTitles = []struct{ kind, title, why string }{
	{portal.FindingRecordsDeactivatedOwner, "%s held by deactivated owners through %s", "Their owners' users were deactivated: nobody works these records."},
	{portal.FindingRecordsUnknownOwner, "%s whose %s matches no owner", "The owner ID names no owner: these records are effectively unowned."},
	{portal.FindingRecordsUserIDAsOwner, "%s whose %s holds a user ID instead of an owner ID", "A user ID was written where an owner ID belongs."},
}

// recordFindings are the per-type groups, as store.recordFindings makes
// them: one per kind, type and property that has records, one row per
// owner ID.
func (f *Fake) recordFindings() []portal.Finding {
	if f.cfg.Records == 0 {
		return nil
	}
	var out []portal.Finding
	for _, k := range recordFindingTitles {
		for _, rt := range recordTypes {
			for _, p := range rt.OwnerProperties {
				fd := portal.Finding{Kind: k.kind, Title: fmt.Sprintf(k.title, rt.Plural, p.Label+" ("+p.Name+")"), Why: k.why,
					ObjectType: rt.Type, Property: p.Name}
				held := map[hubspot.OwnerID]int{}
				var order []hubspot.OwnerID
				for _, r := range f.records(rt.Type) {
					counted := false
					for _, c := range r.Owners {
						if c.Property != p.Name || !f.inFinding(k.kind, c) {
							continue
						}
						if held[c.OwnerID] == 0 {
							order = append(order, c.OwnerID)
						}
						held[c.OwnerID]++
						if !counted {
							fd.Count++
							counted = true
						}
					}
				}
				for _, id := range order {
					rec := portal.FindingRecord{OwnerID: id, Label: fmt.Sprintf("owner ID %s: %d %s", id, held[id], strings.ToLower(rt.Plural))}
					if o, ok := f.owner(id); ok {
						rec.UserID = o.UserIDIncludingInactive
						rec.Label = fmt.Sprintf("%s (owner %s, deactivated): %d %s", o.Name, id, held[id], strings.ToLower(rt.Plural))
					}
					if k.kind == portal.FindingRecordsUserIDAsOwner {
						rec.UserID = hubspot.UserID(id)
					}
					fd.Records = append(fd.Records, rec)
				}
				if fd.Count > 0 {
					out = append(out, fd)
				}
			}
		}
	}
	return out
}

// isRecordsRequest says whether a reassignment asks for more than
// contacts' hubspot_owner_id: marked records, chosen types or properties,
// or an owner's records when the fake holds any.
func (f *Fake) isRecordsRequest(req portal.ReassignRequest) bool {
	return len(req.Records) > 0 || req.Objects != nil || req.Properties != nil ||
		(req.From != "" && f.cfg.Records > 0 && len(req.Contacts) == 0 && req.Finding == "")
}

// planRecords plans a reassignment across the fixture types and owner
// properties, as portal.PlanReassign does over the mirror: per (type,
// record, property) items, a multi-select edited in place, closed deals
// counted or left out. The fake holds no associations, so "with related
// records" adds nothing (a note says so).
func (f *Fake) planRecords(req portal.ReassignRequest, to portal.OwnerRef, plan *portal.ReassignPlan) {
	from := hubspot.OwnerID(strings.TrimPrefix(req.From, "owner:"))
	picked := map[portal.RecordRef]bool{}
	for _, r := range req.Records {
		picked[r] = true
	}
	types := req.Objects
	if types == nil {
		types = []hubspot.ObjectType{hubspot.ObjectContacts}
		for _, rt := range recordTypes {
			types = append(types, rt.Type)
		}
		if len(req.Records) > 0 {
			types = nil
			for _, r := range req.Records {
				if !slices.Contains(types, r.Type) {
					types = append(types, r.Type)
				}
			}
		}
	}
	sources := map[hubspot.OwnerID]int{}
	perProp := map[[2]string]int{}
	perType := map[hubspot.ObjectType]int{}
	add := func(it portal.ReassignItem, label string) {
		plan.Items = append(plan.Items, it)
		sources[it.From]++
		perProp[[2]string{string(it.Type), it.Property + "\x00" + label}]++
	}
	for _, t := range types {
		if t == hubspot.ObjectContacts {
			for i := range f.cfg.Contacts {
				c := f.contact(i)
				ref := portal.RecordRef{Type: t, ID: hubspot.RecordID(c.ContactID)}
				if (from != "" && c.OwnerID != from) || (len(picked) > 0 && !picked[ref]) || c.OwnerID == to.ID {
					continue
				}
				if req.Properties != nil && !slices.Contains(req.Properties, hubspot.PropOwnerID) {
					continue
				}
				add(portal.ReassignItem{ContactID: c.ContactID, Name: c.Name, Email: c.Email, From: c.OwnerID, To: to.ID,
					Type: t, RecordID: ref.ID, Property: hubspot.PropOwnerID}, "Contact owner")
				perType[t]++
			}
			continue
		}
		rt, ok := f.recordType(t)
		if !ok {
			continue
		}
		for _, r := range f.records(t) {
			if len(picked) > 0 && !picked[portal.RecordRef{Type: t, ID: r.ID}] {
				continue
			}
			if t == hubspot.ObjectDeals && r.Closed && req.SkipClosedDeals {
				if slices.ContainsFunc(r.Owners, func(c portal.RecordOwnerCell) bool { return from == "" || c.OwnerID == from }) {
					plan.ClosedDealsLeftOut++
				}
				continue
			}
			changed := false
			for _, p := range rt.OwnerProperties {
				var ids []string
				for _, c := range r.Owners {
					if c.Property == p.Name {
						ids = append(ids, string(c.OwnerID))
					}
				}
				chosen := req.Properties == nil && (p.Name == hubspot.PropOwnerID || (from != "" && slices.Contains(ids, string(from))))
				if req.Properties != nil {
					chosen = slices.Contains(req.Properties, p.Name)
				}
				if !chosen {
					continue
				}
				it := portal.ReassignItem{Name: r.Name, To: to.ID, Type: t, RecordID: r.ID, Property: p.Name, Multi: p.Multi, Closed: r.Closed}
				switch {
				case from != "" && !slices.Contains(ids, string(from)):
					continue
				case from != "":
					it.From = from
				case p.Multi:
					continue // no source owner: which ID of the value would go?
				case len(ids) > 0:
					it.From = hubspot.OwnerID(ids[0])
				}
				if it.From == to.ID {
					continue
				}
				if p.Multi {
					it.Before = strings.Join(ids, ";")
					after := slices.Clone(ids)
					for i, id := range after {
						if id == string(from) {
							after[i] = string(to.ID)
						}
					}
					it.After = strings.Join(after, ";")
				}
				add(it, p.Label)
				changed = true
			}
			if changed {
				perType[t]++
				if t == hubspot.ObjectDeals && r.Closed {
					plan.ClosedDeals++
				}
			}
		}
	}
	plan.Sources = f.ownerCounts(sources)
	if len(plan.Items) > 0 {
		plan.Targets = []portal.OwnerCount{{Owner: to, Count: len(plan.Items)}}
	}
	for _, t := range append([]hubspot.ObjectType{hubspot.ObjectContacts}, typesOf(recordTypes)...) {
		singular, plural := "Contact", "Contacts"
		if rt, ok := f.recordType(t); ok {
			singular, plural = rt.Singular, rt.Plural
		}
		if perType[t] > 0 {
			plan.PerType = append(plan.PerType, portal.TypeCount{Type: t, Singular: singular, Plural: plural, Records: perType[t]})
		}
		for k, n := range perProp {
			if k[0] == string(t) {
				name, label, _ := strings.Cut(k[1], "\x00")
				plan.PerProperty = append(plan.PerProperty, portal.PropertyCount{Type: t, TypeLabel: plural, Property: name, Label: label, Count: n})
			}
		}
	}
	slices.SortStableFunc(plan.PerProperty, func(a, b portal.PropertyCount) int {
		return cmp.Or(cmp.Compare(typeRank(a.Type), typeRank(b.Type)), cmp.Compare(cmpBool(a.Property != hubspot.PropOwnerID), cmpBool(b.Property != hubspot.PropOwnerID)), cmp.Compare(a.Property, b.Property))
	})
	if req.WithRelated {
		plan.Notes = append(plan.Notes, "with related records: the fake portal holds no associations, so nothing comes along")
	}
}

func typesOf(rts []portal.RecordType) []hubspot.ObjectType {
	out := make([]hubspot.ObjectType, len(rts))
	for i, rt := range rts {
		out[i] = rt.Type
	}
	return out
}

func typeRank(t hubspot.ObjectType) int {
	if t == hubspot.ObjectContacts {
		return -1
	}
	return slices.IndexFunc(recordTypes, func(rt portal.RecordType) bool { return rt.Type == t })
}

func cmpBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// page is rows[q.Offset:] cut to q.Limit (100 when unset), copied.
func page[T any](rows []T, q portal.Query) []T {
	if q.Offset >= len(rows) {
		return nil
	}
	rows = rows[q.Offset:]
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	if limit < len(rows) {
		rows = rows[:limit]
	}
	return append([]T(nil), rows...)
}
