package ui

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// recordsDemo is the fake with 30 records of every type beyond contacts,
// the records pane focused on every record of type name (no owner scope).
func recordsDemo(t *testing.T, w, h int, typ string) *harness {
	t.Helper()
	hs := newHarness(t, w, h, uitest.Config{Records: 30}, Options{})
	hs.command("records " + typ)
	hs.keys("esc") // the users selection scoped the pane to Ana Lopez: list all
	return hs
}

// command runs one `:` line as typed.
func (h *harness) command(line string) {
	h.t.Helper()
	h.keys(":")
	h.typ(line)
	h.keys("enter")
}

// shownKeys are the keys of the records pane's loaded rows.
func (h *harness) shownKeys() []string {
	var out []string
	for _, r := range h.m.panes[paneContacts].rows {
		out = append(out, r.key())
	}
	return out
}

// fakeRecords asks the fake what the records pane should list for q.
func (h *harness) fakeRecords(q portal.RecordQuery) []string {
	h.t.Helper()
	q.Limit = 1000
	rs, err := h.fake.Records(context.Background(), q)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, string(r.ID))
	}
	return out
}

func TestRecordsPaneGoldens(t *testing.T) {
	sizes := []struct{ w, h int }{{160, 48}, {120, 40}, {100, 30}, {80, 24}}
	screens := []struct {
		name, typ string
		keys      []string
	}{
		// deal 8200002: deactivated Gus Hale; 8200003: closed; 8200004: unknown 7777
		{"records_deals", "deals", []string{"j", "j"}},
		// a custom object with a custom owner property
		{"records_projects", "projects", []string{"j", "j", "j", "j", "j", "j", "j", "j"}},
	}
	for _, sz := range sizes {
		for _, sc := range screens {
			name := fmt.Sprintf("%s_%dx%d", sc.name, sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				h := recordsDemo(t, sz.w, sz.h, sc.typ)
				h.keys(sc.keys...)
				h.golden(name)
				assertFits(t, h.screen(), sz.w, sz.h)
				for _, r := range h.m.panes[paneContacts].rows[:min(8, len(h.m.panes[paneContacts].rows))] {
					if !strings.Contains(h.screen(), r.id()) {
						t.Errorf("record ID %s is not on screen whole", r.id())
					}
				}
			})
		}
	}
}

// ] and [ step through contacts and every type the mirror holds; each
// type keeps its own filter, and the title and tab name the type shown.
func TestRecordsTypeSwitching(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 30}, Options{})
	h.keys("3", "esc")
	want := []hubspot.ObjectType{hubspot.ObjectCompanies, hubspot.ObjectDeals, hubspot.ObjectTickets, uitest.ProjectsType, ""}
	for _, w := range want {
		h.keys("]")
		if got := h.m.panes[paneContacts].rtype; got != w || h.m.focus != paneContacts {
			t.Fatalf("] showed %q (focus %s), want %q", got, paneNames[h.m.focus], w)
		}
	}
	h.keys("[")
	if h.m.panes[paneContacts].rtype != uitest.ProjectsType {
		t.Fatalf("[ from contacts showed %q", h.m.panes[paneContacts].rtype)
	}
	h.keys("[", "[") // deals
	h.keys("/")
	h.typ("renewal")
	h.keys("enter")
	title, _ := h.m.paneTitle(h.m.panes[paneContacts])
	if !strings.HasPrefix(title, "3 deals · all") || !strings.Contains(title, "/renewal") {
		t.Fatalf("title %q", title)
	}
	wantDeals := h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Filter: "renewal"})
	if got := h.shownKeys(); !slices.Equal(got, wantDeals) || h.m.panes[paneContacts].total != len(wantDeals) {
		t.Fatalf("deals /renewal: %v (total %d), want %v", got, h.m.panes[paneContacts].total, wantDeals)
	}
	if tabs := ansi.Strip(h.m.renderTabs(120)); !strings.Contains(tabs, fmt.Sprintf("3 deals (%d)", len(wantDeals))) {
		t.Errorf("the tab does not name the deals and their count: %q", tabs)
	}
	h.keys("]") // tickets: no filter of its own
	if p := h.m.panes[paneContacts]; p.filter != "" || p.total != 30 {
		t.Fatalf("tickets: filter %q, total %d", p.filter, p.total)
	}
	h.keys("[") // back to deals: its filter and rows are still there
	if p := h.m.panes[paneContacts]; p.filter != "renewal" || !slices.Equal(h.shownKeys(), wantDeals) {
		t.Fatalf("deals again: filter %q rows %v", p.filter, h.shownKeys())
	}
	// Selecting an owner scopes whichever type is shown.
	h.keys("2", "j") // Bo Kim, 5002
	h.keys("3")
	wantBo := h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Filter: "renewal", OwnerID: "5002"})
	if got := h.shownKeys(); !slices.Equal(got, wantBo) {
		t.Fatalf("Bo Kim's deals: %v, want %v", got, wantBo)
	}
}

// A backend without records keeps the pane on contacts and says why.
func TestRecordsNeedTheBackend(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.keys("]")
	if h.m.panes[paneContacts].rtype != "" || !strings.Contains(h.m.msg, "contacts only") {
		t.Fatalf("] on a contacts-only mirror: type %q, msg %q", h.m.panes[paneContacts].rtype, h.m.msg)
	}
	plain := newHarnessWith(t, 120, 40, uitest.New(uitest.Config{}), plainBackend{uitest.New(uitest.Config{})}, Options{})
	plain.keys("]")
	if !strings.Contains(plain.m.msg, "lists contacts only") {
		t.Fatalf("] without RecordReader: msg %q", plain.m.msg)
	}
}

func TestRecordsCommandCompletesTypes(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 5}, Options{})
	got := h.m.completionsFor("records ")
	want := []string{"records contacts", "records companies", "records deals", "records tickets", "records projects"}
	if !slices.Equal(got, want) {
		t.Fatalf("completions %v", got)
	}
	h.keys(":")
	h.typ("records pro")
	h.keys("tab", "enter")
	if h.m.panes[paneContacts].rtype != uitest.ProjectsType {
		t.Fatalf(":records pro⇥ showed %q", h.m.panes[paneContacts].rtype)
	}
	h.command("records Deal") // the singular, any case
	if h.m.panes[paneContacts].rtype != hubspot.ObjectDeals {
		t.Fatalf(":records Deal showed %q", h.m.panes[paneContacts].rtype)
	}
	h.command("records 2-4001") // the type's ID
	if h.m.panes[paneContacts].rtype != uitest.ProjectsType {
		t.Fatalf(":records 2-4001 showed %q", h.m.panes[paneContacts].rtype)
	}
	h.command("records invoices")
	if !strings.Contains(h.m.err, "no such type") {
		t.Fatalf("unknown type: err %q", h.m.err)
	}
	h.command("contacts")
	if h.m.panes[paneContacts].rtype != "" || h.m.scope != (contactScope{}) {
		t.Fatalf(":contacts: type %q scope %+v", h.m.panes[paneContacts].rtype, h.m.scope)
	}
}

// Filter, sort and marks on deals, and their export.
func TestRecordsFilterSortMarksExportDeals(t *testing.T) {
	h := recordsDemo(t, 120, 40, "deals")
	for _, f := range []string{"deactivated", "unknown", "closed", "gus hale", "8200007", "no owner"} {
		h.keys("/")
		h.typ(f)
		h.keys("enter")
		want := h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Filter: f})
		if got := h.shownKeys(); len(want) == 0 || !slices.Equal(got, want) {
			t.Fatalf("/%s: %v, want %v", f, got, want)
		}
		h.keys("esc") // clears the filter
	}
	h.keys("s")
	if p := h.m.panes[paneContacts]; p.sortKey() != "name" || !strings.Contains(h.m.msg, "deals sorted by name") {
		t.Fatalf("s: sort %q msg %q", p.sortKey(), h.m.msg)
	}
	if got, want := h.shownKeys(), h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Sort: "name"}); !slices.Equal(got, want) {
		t.Fatalf("sorted by name: %v, want %v", got, want)
	}
	h.command("sort modified")
	if got, want := h.shownKeys(), h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Sort: "modified"}); !slices.Equal(got, want) {
		t.Fatalf("sorted by modified: %v, want %v", got, want)
	}
	h.keys("]", "[") // contacts keep their own order
	h.keys("]", "]", "]")
	if p := h.m.panes[paneContacts]; p.rtype != "" || p.sortKey() != "id" {
		t.Fatalf("contacts: type %q sort %q", p.rtype, p.sortKey())
	}
	h.keys("[", "[", "[") // deals again, still by modified
	if p := h.m.panes[paneContacts]; p.rtype != hubspot.ObjectDeals || p.sortKey() != "modified" {
		t.Fatalf("deals: type %q sort %q", p.rtype, p.sortKey())
	}

	h.keys("home", "space", "j", "j", "V")
	if n := len(h.m.panes[paneContacts].marks); n != 4 {
		t.Fatalf("space then V marked %d", n)
	}
	h.keys("ctrl+s")
	rows := readCSV(t, exportedFile(t, h, "csv"))
	if !slices.Equal(rows[0], []string{"object_type", "record_id", "name", "closed", "last_modified",
		"hubspot_owner_id", "hubspot_owner_id_owner_names", "hubspot_owner_id_owner_states",
		"secondary_owner", "secondary_owner_owner_names", "secondary_owner_owner_states"}) || len(rows) != 5 {
		t.Fatalf("export: %v", rows)
	}
	h.keys("U", "A")
	if n := len(h.m.panes[paneContacts].marks); n != 30 {
		t.Fatalf("A marked %d deals", n)
	}
	h.keys("]")
	if n := len(h.m.panes[paneContacts].marks); n != 0 {
		t.Fatalf("tickets show the deals' %d marks", n)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// i on a record resolves its troubled owner ID; the detail spells out
// every owner property.
func TestRecordsResolveAndDetail(t *testing.T) {
	h := recordsDemo(t, 120, 40, "deals")
	h.keys("j", "j", "j", "j") // 8200004: owner 7777, unknown
	if h.cursorKey(paneContacts) != "8200004" {
		t.Fatalf("cursor on %s", h.cursorKey(paneContacts))
	}
	screen := h.screen()
	for _, want := range []string{"deal ID 8200004", "Deal owner (hubspot_owner_id): 7777 matches no owner", "i shows what 7777 is"} {
		if !strings.Contains(screen, want) {
			t.Errorf("detail lacks %q:\n%s", want, screen)
		}
	}
	h.keys("i")
	if h.m.resolution == nil || h.m.resolution.res.Input != "7777" {
		t.Fatalf("i resolved %+v", h.m.resolution)
	}
}

// Enter on a per-type findings group lists its records in their type's
// pane: the header every record of the group, a row that owner's.
func TestFindingsGroupJumpsToItsType(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 30}, Options{})
	h.keys("F")
	p := h.m.panes[paneFindings]
	header, row := -1, -1
	for i, r := range p.rows {
		f := r.(findingItem)
		if f.f.Kind == portal.FindingRecordsDeactivatedOwner && f.f.ObjectType == hubspot.ObjectDeals && f.f.Property == "secondary_owner" {
			if f.rec < 0 {
				header = i
			} else if row < 0 {
				row = i
			}
		}
	}
	if header < 0 || row < 0 {
		t.Fatal("no deals group of deactivated secondary owners")
	}
	h.m.panes[paneFindings].moveTo(header)
	h.keys("enter")
	want := h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, Finding: portal.FindingRecordsDeactivatedOwner, Property: "secondary_owner"})
	if got := h.shownKeys(); h.m.view != viewMain || h.m.focus != paneContacts || len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("header jump: view %d focus %s rows %v, want %v", h.m.view, paneNames[h.m.focus], got, want)
	}
	title, _ := h.m.paneTitle(h.m.panes[paneContacts])
	if !strings.Contains(title, "deals · deactivated owners in Secondary owner") {
		t.Errorf("title %q", title)
	}
	h.keys("]") // tickets: the group does not follow
	if h.m.scope != (contactScope{}) || h.m.panes[paneContacts].total != 30 {
		t.Fatalf("tickets after a deals group: scope %+v total %d", h.m.scope, h.m.panes[paneContacts].total)
	}
	h.keys("F")
	h.m.panes[paneFindings].moveTo(row)
	h.keys("enter")
	want = h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectDeals, OwnerID: uitest.ArchivedOwner, Property: "secondary_owner"})
	if got := h.shownKeys(); h.m.panes[paneContacts].rtype != hubspot.ObjectDeals || !slices.Equal(got, want) {
		t.Fatalf("row jump: %v, want %v", got, want)
	}
	h.keys("esc")
	if h.m.scope != (contactScope{}) || h.m.panes[paneContacts].total != 30 {
		t.Fatalf("esc kept scope %+v", h.m.scope)
	}
}

// A person's card counts what they hold per type and property; full size,
// enter on a holding lists those records.
func TestCardHoldingsOpenTheirRecords(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Records: 30}, Options{})
	h.keys("2") // Ana Lopez, owner 5001
	card, ok := h.m.shownCard()
	if !ok || card.OwnerID != uitest.AnaOwner {
		t.Fatalf("card %+v", card)
	}
	var deals, second portal.Holding
	for _, hd := range card.Holdings {
		switch {
		case hd.Type == hubspot.ObjectDeals && hd.Property == hubspot.PropOwnerID:
			deals = hd
		case hd.Type == uitest.ProjectsType && hd.Property == "implementation_lead":
			second = hd
		}
	}
	if deals.Count == 0 || second.Count == 0 {
		t.Fatalf("holdings %+v", card.Holdings)
	}
	if s := h.screen(); !strings.Contains(s, holdingWords(deals)) || !strings.Contains(s, holdingWords(second)) {
		t.Fatalf("the owners pane's detail lacks %q or %q:\n%s", holdingWords(deals), holdingWords(second), s)
	}
	h.keys("enter")
	at := slices.IndexFunc(card.Holdings, func(x portal.Holding) bool { return x == second })
	for range at {
		h.keys("j")
	}
	if !strings.Contains(h.screen(), "> "+holdingWords(second)) {
		t.Fatalf("the cursor is not on %q:\n%s", holdingWords(second), h.screen())
	}
	h.keys("enter")
	want := h.fakeRecords(portal.RecordQuery{Type: uitest.ProjectsType, OwnerID: uitest.AnaOwner, Property: "implementation_lead"})
	if got := h.shownKeys(); h.m.focus != paneContacts || h.m.panes[paneContacts].rtype != uitest.ProjectsType ||
		len(got) != second.Count || !slices.Equal(got, want) {
		t.Fatalf("holding jump: %v (want %d: %v)", got, second.Count, want)
	}
	title, _ := h.m.paneTitle(h.m.panes[paneContacts])
	if !strings.Contains(title, "projects · Ana Lopez as Implementation lead 5001") {
		t.Errorf("title %q", title)
	}
	h.keys("[") // deals: Ana's, through any property
	want = h.fakeRecords(portal.RecordQuery{Type: hubspot.ObjectTickets, OwnerID: uitest.AnaOwner})
	if got := h.shownKeys(); h.m.panes[paneContacts].rtype != hubspot.ObjectTickets || !slices.Equal(got, want) {
		t.Fatalf("tickets after the holding: %v, want %v", got, want)
	}
}

// On a narrow row the record's name gives way first, then the owners'
// names, then its last owner properties ("+1"); the record's ID stays whole.
func TestRecordRowColumnsDrop(t *testing.T) {
	h := recordsDemo(t, 80, 24, "companies")
	var r recordItem
	for _, row := range h.m.panes[paneContacts].rows {
		if ri := row.(recordItem); len(ri.Owners) == 4 { // Gus Hale and a three-ID account team
			r = ri
			break
		}
	}
	if r.ID == "" {
		t.Fatal("no company with an owner and a three-ID account team")
	}
	text := func(ss []seg) string {
		var b strings.Builder
		for _, s := range ss {
			b.WriteString(s.text)
		}
		return b.String()
	}
	cases := []struct {
		w          int
		want, lack []string
	}{
		{90, []string{"Gus Hale 5005 deactivated · Ana Lopez 5001, Eli Moss 5003, ? 7777 unknown", string(r.ID)}, nil},
		{62, []string{"5005 deactivated · 5001, 5003, ? 7777 unknown", string(r.ID)}, []string{"Gus Hale"}},
		{40, []string{"5005 deactivated +1", string(r.ID)}, []string{"7777"}},
		{20, []string{"+2", string(r.ID)}, []string{"5005"}},
		{12, []string{string(r.ID)}, []string{"+"}},
	}
	for _, c := range cases {
		left, right, _ := h.m.recordSegments(r, c.w)
		got := text(right)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("width %d: %q lacks %q", c.w, got, w)
			}
		}
		for _, w := range c.lack {
			if strings.Contains(got, w) {
				t.Errorf("width %d: %q still has %q", c.w, got, w)
			}
		}
		if c.w >= 20 && c.w-cellWidth(got)-1 < minName {
			t.Errorf("width %d: %q leaves the name %d cells (%q)", c.w, got, c.w-cellWidth(got)-1, text(left))
		}
	}
}

// Resolve says what an ID holds per type and property: an owner's reading
// under its line, and records holding an ID no owner has.
func TestResolveSaysWhatAnIDHolds(t *testing.T) {
	h := newHarness(t, 160, 48, uitest.Config{Records: 30}, Options{})
	h.command("id 5005")
	card, err := h.fake.IDCardForOwner(context.Background(), uitest.ArchivedOwner)
	if err != nil || len(card.Holdings) < 3 {
		t.Fatalf("Gus Hale's holdings %+v (%v)", card.Holdings, err)
	}
	screen := h.screen()
	if !strings.Contains(screen, "holds "+holdingWords(card.Holdings[0])) || !strings.Contains(screen, holdingWords(card.Holdings[2])) {
		t.Errorf("resolve 5005 lacks its holdings:\n%s", screen)
	}
	h.keys("esc")
	h.command("id 7777")
	res, _ := h.fake.Resolve(context.Background(), "7777")
	if len(res.HeldAsOwnerID) == 0 {
		t.Fatal("the fake holds nothing as 7777")
	}
	if s := h.screen(); !strings.Contains(s, "records hold 7777 as an owner ID: "+holdingWords(res.HeldAsOwnerID[0])) {
		t.Errorf("resolve 7777 does not say what holds it:\n%s", s)
	}
}
