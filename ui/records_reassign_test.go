package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// choose moves the plan's choice cursor onto the choice labelled label.
func (h *harness) choose(label string) {
	h.t.Helper()
	f := h.m.reassign
	for range h.m.planChoices(f) {
		if h.m.planChoices(f)[f.choice].label == label {
			return
		}
		h.keys("tab")
	}
	h.t.Fatalf("no choice %q in %+v", label, h.m.planChoices(f))
}

// o on marked deals plans per (type, record, property); the plan's choices
// re-plan: leave closed deals out, add the secondary owner.
func TestReassignMarkedDeals(t *testing.T) {
	h := recordsDemo(t, 120, 40, "deals")
	h.keys("space", "space", "space", "space") // 8200000..8200003 (8200003 is closed)
	h.keys("o")
	if f := h.m.reassign; f == nil || f.who != "4 marked deals" || len(f.req.Records) != 4 || f.req.Records[0] != (portal.RecordRef{Type: hubspot.ObjectDeals, ID: "8200000"}) {
		t.Fatalf("flow %+v (msg %q)", h.m.reassign, h.m.msg)
	}
	h.typ("dee")
	h.keys("enter")
	f := h.m.reassign
	if f.stage != rsPlan || f.plan.Count() != 4 || f.plan.ClosedDeals != 1 {
		t.Fatalf("plan: stage %d, %d items, %d closed deals", f.stage, f.plan.Count(), f.plan.ClosedDeals)
	}
	h.golden("reassign_deals_plan_120x40")
	screen := h.screen()
	for _, want := range []string{"Deals · Deal owner (hubspot_owner_id)", "[x] deals", "[x] hubspot_owner_id", "[ ] Secondary owner (secondary_owner)", "[ ] skip closed deals", "deals 8200002"} {
		if !strings.Contains(screen, want) {
			t.Errorf("plan screen lacks %q:\n%s", want, screen)
		}
	}
	h.choose("skip closed deals")
	h.keys("space")
	if f := h.m.reassign; !f.req.SkipClosedDeals || f.plan.Count() != 3 || f.plan.ClosedDealsLeftOut != 1 {
		t.Fatalf("skip closed deals: req %+v, %d items, %d left out", f.req, f.plan.Count(), f.plan.ClosedDealsLeftOut)
	}
	h.choose("Secondary owner (secondary_owner)")
	h.keys("space")
	f = h.m.reassign
	if !slices.Equal(f.req.Properties, []string{hubspot.PropOwnerID, "secondary_owner"}) {
		t.Fatalf("properties %v", f.req.Properties)
	}
	// Each of the 3 open deals' secondary owner is set too, empty or not.
	if got := f.plan.Count(); got != 6 {
		t.Fatalf("with the secondary owner: %d items %+v", got, f.plan.Items)
	}
	h.keys("enter")
	if jobs := h.fake.Jobs(); len(jobs) != 1 || jobs[0].Count() != 6 || jobs[0].Items[0].Type != hubspot.ObjectDeals {
		t.Fatalf("jobs %+v", jobs)
	}
	h.keys("enter") // close the result
	if n := len(h.m.panes[paneContacts].marks); n != 0 {
		t.Fatalf("%d marks left after the job used them", n)
	}
}

// o on an owner hands over everything they hold; a type can be left out.
func TestReassignOwnerAcrossTypes(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 30}, Options{})
	h.keys("2", "j", "j", "j", "j") // Gus Hale, deactivated, 5005
	h.keys("o")
	if f := h.m.reassign; f == nil || f.who != "Gus Hale's records" || !f.typesKnown {
		t.Fatalf("flow %+v (msg %q)", h.m.reassign, h.m.msg)
	}
	h.typ("dee")
	h.keys("enter")
	f := h.m.reassign
	types := map[hubspot.ObjectType]bool{}
	props := map[string]bool{}
	for _, it := range f.plan.Items {
		types[typeKey(it.Type)], props[it.Property] = true, true
	}
	if !types[""] || !types[hubspot.ObjectCompanies] || !types[hubspot.ObjectDeals] || !props["account_team"] || !props["secondary_owner"] {
		t.Fatalf("types %v properties %v", types, props)
	}
	for _, it := range f.plan.Items {
		if it.Property == "account_team" && (!strings.Contains(it.Before, "5005") || strings.Contains(it.After, "5005") || !strings.Contains(it.After, "5010")) {
			t.Fatalf("multi-select item %+v", it)
		}
	}
	h.choose("companies")
	h.keys("space")
	f = h.m.reassign
	if slices.Contains(f.req.Objects, hubspot.ObjectCompanies) || !slices.Contains(f.req.Objects, hubspot.ObjectDeals) ||
		slices.ContainsFunc(f.plan.Items, func(it portal.ReassignItem) bool { return it.Type == hubspot.ObjectCompanies }) {
		t.Fatalf("without companies: objects %v", f.req.Objects)
	}
	if !strings.Contains(h.screen(), "[ ] companies") {
		t.Errorf("companies still checked:\n%s", h.screen())
	}
}

// o on one owner of a per-type findings group plans that owner's records
// of the group's type and property.
func TestReassignFromFindingGroup(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 30}, Options{})
	h.keys("F")
	for i, r := range h.m.panes[paneFindings].rows {
		if f := r.(findingItem); f.f.Kind == portal.FindingRecordsDeactivatedOwner && f.f.ObjectType == hubspot.ObjectTickets && f.rec >= 0 {
			h.m.panes[paneFindings].moveTo(i)
			break
		}
	}
	h.keys("o")
	f := h.m.reassign
	if f == nil || f.req.From != "owner:5005" || !slices.Equal(f.req.Objects, []hubspot.ObjectType{hubspot.ObjectTickets}) || !slices.Equal(f.req.Properties, []string{hubspot.PropOwnerID}) {
		t.Fatalf("flow %+v (msg %q)", f, h.m.msg)
	}
}

// o asks for the write scope of the type under the cursor: a token that
// may write contacts but not deals cannot reassign deals.
func TestReassignNeedsTheTypesWriteScope(t *testing.T) {
	h := recordsDemo(t, 120, 40, "deals")
	info := h.fake.Info()
	info.Scopes = []string{"crm.objects.contacts.write"}
	h.fake.SetInfo(info)
	h.m.info = info
	h.keys("o")
	if h.m.reassign != nil || !strings.Contains(h.m.msg, "crm.objects.deals.write") {
		t.Fatalf("o on deals: flow %v, msg %q", h.m.reassign != nil, h.m.msg)
	}
	h.command("contacts")
	h.keys("o")
	if h.m.reassign == nil {
		t.Fatalf("o on contacts refused: %q", h.m.msg)
	}
}
