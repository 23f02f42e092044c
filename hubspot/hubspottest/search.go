package hubspottest

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Search limits, as HubSpot documents them today.
const (
	defaultSearchLimit   = 10
	maxSearchLimit       = 200
	maxSearchResults     = 10_000 // paging at after >= this is a 400
	maxFilterGroups      = 5
	maxFiltersPerGroup   = 6
	maxFiltersTotal      = 18
	maxSearchQueryLength = 3000
)

// searchRecord is one object as search sees it.
type searchRecord interface {
	value(prop string) (string, bool)
	millis(prop string) (int64, bool) // date properties as epoch ms
	numericID() uint64
}

// objectSchema is what search needs to know about an object type.
type objectSchema struct {
	known      func(string) bool
	dates      map[string]bool
	numeric    map[string]bool
	queryProps []string // searched by the free-text `query`
}

var contactSchema = objectSchema{
	known:      knownContactProperty,
	dates:      contactDates,
	numeric:    map[string]bool{"hs_object_id": true, "hubspot_owner_id": true},
	queryProps: []string{"firstname", "lastname", "email", "phone"},
}

type searchRequestBody struct {
	FilterGroups []struct {
		Filters []searchFilterBody `json:"filters"`
	} `json:"filterGroups"`
	Sorts      []json.RawMessage `json:"sorts"`
	Query      string            `json:"query"`
	Properties []string          `json:"properties"`
	Limit      json.RawMessage   `json:"limit"`
	After      json.RawMessage   `json:"after"`
}

type searchFilterBody struct {
	PropertyName string            `json:"propertyName"`
	Operator     string            `json:"operator"`
	Value        json.RawMessage   `json:"value"`
	HighValue    json.RawMessage   `json:"highValue"`
	Values       []json.RawMessage `json:"values"`
}

type searchSort struct {
	prop       string
	descending bool
}

// compiledSearch is a validated search request.
type compiledSearch struct {
	groups     [][]filter
	sort       *searchSort
	query      []string // lower-cased free-text tokens
	properties []string
	limit      int
	after      int
	schema     objectSchema
}

type filter struct {
	prop, op    string
	value, high string
	values      []string
	date        bool
	numeric     bool
	ms, highMs  int64
	valuesMs    []int64
}

// compileSearch validates a search body against HubSpot's limits; a
// non-empty message is the 400 to send.
func compileSearch(in searchRequestBody, schema objectSchema, defaultProps []string) (*compiledSearch, string) {
	cs := &compiledSearch{schema: schema, properties: withSearchAlwaysProperties(in.Properties), limit: defaultSearchLimit}
	if len(cs.properties) == 0 {
		cs.properties = defaultProps
	}
	if len(in.Limit) > 0 && string(in.Limit) != "null" {
		s, _ := flexString(in.Limit)
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			return nil, "limit must be an integer, not " + string(in.Limit)
		case n > maxSearchLimit:
			return nil, fmt.Sprintf("limit must be less than or equal to %d, but was %d", maxSearchLimit, n)
		case n > 0:
			cs.limit = n
		}
	}
	if len(in.After) > 0 && string(in.After) != "null" {
		s, _ := flexString(in.After)
		if s != "" {
			n, err := strconv.Atoi(s)
			switch {
			case err != nil || n < 0:
				return nil, "after must be a non-negative integer offset, not " + string(in.After)
			case n >= maxSearchResults:
				return nil, fmt.Sprintf("Search results are limited to %d. Narrow the search with filters instead of paging past result %d.", maxSearchResults, maxSearchResults)
			}
			cs.after = n
		}
	}
	if len(in.Query) > maxSearchQueryLength {
		return nil, fmt.Sprintf("query must be at most %d characters", maxSearchQueryLength)
	}
	cs.query = strings.Fields(strings.ToLower(in.Query))

	if len(in.FilterGroups) > maxFilterGroups {
		return nil, fmt.Sprintf("Too many filter groups: %d. A search accepts at most %d filter groups.", len(in.FilterGroups), maxFilterGroups)
	}
	total := 0
	for _, g := range in.FilterGroups {
		if len(g.Filters) > maxFiltersPerGroup {
			return nil, fmt.Sprintf("Too many filters in a filter group: %d. A filter group accepts at most %d filters.", len(g.Filters), maxFiltersPerGroup)
		}
		total += len(g.Filters)
		var group []filter
		for _, fb := range g.Filters {
			f, msg := compileFilter(fb, schema)
			if msg != "" {
				return nil, msg
			}
			group = append(group, f)
		}
		cs.groups = append(cs.groups, group)
	}
	if total > maxFiltersTotal {
		return nil, fmt.Sprintf("Too many filters: %d. A search accepts at most %d filters in total.", total, maxFiltersTotal)
	}

	if len(in.Sorts) > 1 {
		return nil, "Only one sort is supported, but " + strconv.Itoa(len(in.Sorts)) + " were given."
	}
	if len(in.Sorts) == 1 {
		s, msg := parseSort(in.Sorts[0])
		if msg != "" {
			return nil, msg
		}
		if !schema.known(s.prop) {
			return nil, "Property " + strconv.Quote(s.prop) + " does not exist and cannot be sorted on."
		}
		cs.sort = &s
	}
	return cs, ""
}

// searchAlwaysProperties come back from a search whatever properties it
// asked for.
var searchAlwaysProperties = []string{"createdate", "hs_object_id", "lastmodifieddate"}

func withSearchAlwaysProperties(props []string) []string {
	if len(props) == 0 {
		return nil
	}
	out := slices.Clone(props)
	for _, p := range searchAlwaysProperties {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// parseSort accepts both documented forms: {"propertyName", "direction"} and
// the string form "prop" / "-prop".
func parseSort(raw json.RawMessage) (searchSort, string) {
	var str string
	if json.Unmarshal(raw, &str) == nil {
		if p, ok := strings.CutPrefix(str, "-"); ok {
			return searchSort{prop: p, descending: true}, ""
		}
		return searchSort{prop: str}, ""
	}
	var obj struct {
		PropertyName string `json:"propertyName"`
		Direction    string `json:"direction"`
	}
	if json.Unmarshal(raw, &obj) != nil || obj.PropertyName == "" {
		return searchSort{}, "A sort needs a propertyName."
	}
	switch strings.ToUpper(obj.Direction) {
	case "", "ASCENDING":
		return searchSort{prop: obj.PropertyName}, ""
	case "DESCENDING":
		return searchSort{prop: obj.PropertyName, descending: true}, ""
	}
	return searchSort{}, "Sort direction must be ASCENDING or DESCENDING, not " + strconv.Quote(obj.Direction)
}

var operatorsNeedingValue = map[string]bool{
	"EQ": true, "NEQ": true, "LT": true, "LTE": true, "GT": true, "GTE": true,
	"BETWEEN": true, "CONTAINS_TOKEN": true, "NOT_CONTAINS_TOKEN": true,
}

func compileFilter(fb searchFilterBody, schema objectSchema) (filter, string) {
	f := filter{prop: fb.PropertyName, op: strings.ToUpper(fb.Operator)}
	if f.prop == "" {
		return f, "A filter needs a propertyName."
	}
	if !schema.known(f.prop) {
		return f, "Property " + strconv.Quote(f.prop) + " does not exist and cannot be used in a filter."
	}
	f.date, f.numeric = schema.dates[f.prop], schema.numeric[f.prop]
	switch f.op {
	case "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
		"HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
	default:
		return f, "Invalid filter operator " + strconv.Quote(fb.Operator) + "."
	}
	if operatorsNeedingValue[f.op] {
		v, ok := flexString(fb.Value)
		if len(fb.Value) == 0 || !ok {
			return f, "Operator " + f.op + " on " + f.prop + " needs a value."
		}
		f.value = v
	}
	if f.op == "BETWEEN" {
		h, ok := flexString(fb.HighValue)
		if len(fb.HighValue) == 0 || !ok {
			return f, "Operator BETWEEN on " + f.prop + " needs a highValue."
		}
		f.high = h
	}
	if f.op == "IN" || f.op == "NOT_IN" {
		if len(fb.Values) == 0 {
			return f, "Operator " + f.op + " on " + f.prop + " needs values."
		}
		for _, raw := range fb.Values {
			v, ok := flexString(raw)
			if !ok {
				return f, "Operator " + f.op + " on " + f.prop + " needs string values."
			}
			f.values = append(f.values, v)
		}
	}
	if f.date {
		var ok bool
		if f.value != "" {
			if f.ms, ok = parseDateValue(f.value); !ok {
				return f, "Unable to parse " + strconv.Quote(f.value) + " as a date for " + f.prop + "."
			}
		}
		if f.high != "" {
			if f.highMs, ok = parseDateValue(f.high); !ok {
				return f, "Unable to parse " + strconv.Quote(f.high) + " as a date for " + f.prop + "."
			}
		}
		for _, v := range f.values {
			ms, ok := parseDateValue(v)
			if !ok {
				return f, "Unable to parse " + strconv.Quote(v) + " as a date for " + f.prop + "."
			}
			f.valuesMs = append(f.valuesMs, ms)
		}
	}
	return f, ""
}

// parseDateValue reads a date filter value: epoch milliseconds, as clients
// usually send, or an ISO-8601 date or datetime.
func parseDateValue(v string) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

func (cs *compiledSearch) matches(r searchRecord) bool {
	if len(cs.query) > 0 && !cs.matchesQuery(r) {
		return false
	}
	if len(cs.groups) == 0 {
		return true
	}
	for _, g := range cs.groups {
		all := true
		for i := range g {
			if !g[i].match(r) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (cs *compiledSearch) matchesQuery(r searchRecord) bool {
	for _, tok := range cs.query {
		found := false
		for _, p := range cs.schema.queryProps {
			if v, ok := r.value(p); ok && strings.Contains(strings.ToLower(v), tok) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (f *filter) match(r searchRecord) bool {
	switch f.op {
	case "HAS_PROPERTY":
		_, ok := r.value(f.prop)
		return ok
	case "NOT_HAS_PROPERTY":
		_, ok := r.value(f.prop)
		return !ok
	}
	if f.date {
		ms, ok := r.millis(f.prop)
		return f.matchDate(ok, ms)
	}
	v, ok := r.value(f.prop)
	switch f.op {
	case "CONTAINS_TOKEN":
		return ok && containsToken(v, f.value)
	case "NOT_CONTAINS_TOKEN":
		return !ok || !containsToken(v, f.value)
	}
	return f.matchText(ok, v)
}

// Records without the property only satisfy negative operators.
func (f *filter) absentMatches() bool { return f.op == "NEQ" || f.op == "NOT_IN" }

func (f *filter) matchDate(present bool, ms int64) bool {
	if !present {
		return f.absentMatches()
	}
	switch f.op {
	case "EQ":
		return ms == f.ms
	case "NEQ":
		return ms != f.ms
	case "LT":
		return ms < f.ms
	case "LTE":
		return ms <= f.ms
	case "GT":
		return ms > f.ms
	case "GTE":
		return ms >= f.ms
	case "BETWEEN":
		return ms >= f.ms && ms <= f.highMs
	case "IN", "NOT_IN":
		in := false
		for _, v := range f.valuesMs {
			in = in || v == ms
		}
		return in == (f.op == "IN")
	}
	return false
}

func (f *filter) matchText(present bool, v string) bool {
	if !present {
		return f.absentMatches()
	}
	switch f.op {
	case "EQ":
		return f.compareText(v, f.value) == 0
	case "NEQ":
		return f.compareText(v, f.value) != 0
	case "LT":
		return f.compareText(v, f.value) < 0
	case "LTE":
		return f.compareText(v, f.value) <= 0
	case "GT":
		return f.compareText(v, f.value) > 0
	case "GTE":
		return f.compareText(v, f.value) >= 0
	case "BETWEEN":
		return f.compareText(v, f.value) >= 0 && f.compareText(v, f.high) <= 0
	case "IN", "NOT_IN":
		in := false
		for _, x := range f.values {
			in = in || f.compareText(v, x) == 0
		}
		return in == (f.op == "IN")
	}
	return false
}

// compareText compares numerically for numeric properties, otherwise
// case-insensitively, as HubSpot's string matching is.
func (f *filter) compareText(a, b string) int {
	if f.numeric {
		x, errA := strconv.ParseInt(a, 10, 64)
		y, errB := strconv.ParseInt(b, 10, 64)
		if errA == nil && errB == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// containsToken matches a word of v, or with '*' wildcards the whole value
// ("*@example.com").
func containsToken(v, tok string) bool {
	v, tok = strings.ToLower(v), strings.ToLower(tok)
	if strings.Contains(tok, "*") {
		return wildcardMatch(v, tok)
	}
	if v == tok {
		return true
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '.' || r == '@' || r == '-' || r == '_' || r == ','
	}) {
		if w == tok {
			return true
		}
	}
	return false
}

func wildcardMatch(s, pattern string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, part)
		}
		k := strings.Index(s, part)
		if k < 0 {
			return false
		}
		s = s[k+len(part):]
	}
	return true
}

// run scans n records, returning the total number of matches and the
// indices of the requested page. Without a sort, records come in ID order
// and only the page is kept; with one, a bounded heap keeps the best
// after+limit matches, so a million records never sit in memory.
func (cs *compiledSearch) run(n int, load func(i int) searchRecord) (total int, page []int) {
	end := cs.pageEnd()
	if cs.sort == nil {
		for i := 0; i < n; i++ {
			if !cs.matches(load(i)) {
				continue
			}
			if total >= cs.after && total < end {
				page = append(page, i)
			}
			total++
		}
		return total, page
	}
	h := &sortHeap{desc: cs.sort.descending}
	for i := 0; i < n; i++ {
		r := load(i)
		if !cs.matches(r) {
			continue
		}
		total++
		e := cs.sortEntry(r, i)
		if h.Len() < end {
			heap.Push(h, e)
		} else if h.better(e, h.items[0]) {
			h.items[0] = e
			heap.Fix(h, 0)
		}
	}
	ordered := make([]sortEntry, h.Len())
	for k := len(ordered) - 1; k >= 0; k-- {
		ordered[k] = heap.Pop(h).(sortEntry)
	}
	for k := cs.after; k < len(ordered); k++ {
		page = append(page, ordered[k].index)
	}
	return total, page
}

type sortEntry struct {
	has   bool
	num   int64
	str   string
	id    uint64
	index int
}

func (cs *compiledSearch) sortEntry(r searchRecord, i int) sortEntry {
	e := sortEntry{id: r.numericID(), index: i}
	p := cs.sort.prop
	switch {
	case cs.schema.dates[p]:
		e.num, e.has = r.millis(p)
	case cs.schema.numeric[p]:
		if v, ok := r.value(p); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			e.num, e.has = n, err == nil
		}
	default:
		v, ok := r.value(p)
		e.str, e.has = strings.ToLower(v), ok
	}
	return e
}

// sortHeap is a heap whose root is the worst entry kept, so a better one can
// replace it.
type sortHeap struct {
	items []sortEntry
	desc  bool
}

// better reports whether a sorts before b: by value in the requested
// direction, records without a value last, ties by ascending ID.
func (h *sortHeap) better(a, b sortEntry) bool {
	if a.has != b.has {
		return a.has
	}
	if a.has {
		c := 0
		switch {
		case a.num != b.num:
			c = cmpInt(a.num, b.num)
		case a.str != b.str:
			c = strings.Compare(a.str, b.str)
		}
		if h.desc {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
	}
	return a.id < b.id
}

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	return 1
}

func (h *sortHeap) Len() int           { return len(h.items) }
func (h *sortHeap) Less(i, j int) bool { return h.better(h.items[j], h.items[i]) }
func (h *sortHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *sortHeap) Push(x any)         { h.items = append(h.items, x.(sortEntry)) }
func (h *sortHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

type searchResponse struct {
	Total   int          `json:"total"`
	Results []wireObject `json:"results"`
	Paging  *paging      `json:"paging,omitempty"`
}

// pageEnd is the offset after this page's last result. HubSpot never
// returns a result past the 10,000th, so a page that would cross the cap
// (after=9900, limit=150) ends at it.
func (cs *compiledSearch) pageEnd() int { return min(cs.after+cs.limit, maxSearchResults) }

// nextSearchAfter is the cursor of the page after this one, "" on the last.
// Like HubSpot, it is handed out even when it is at the 10,000 cap; using
// it is then a 400.
func (cs *compiledSearch) nextSearchAfter(total int) string {
	if end := cs.pageEnd(); end < total {
		return strconv.Itoa(end)
	}
	return ""
}

// POST /crm/v3/objects/contacts/search
func (c *call) searchContacts() {
	var in searchRequestBody
	if !c.decode(&in) {
		return
	}
	q, msg := compileSearch(in, contactSchema, contactDefaultProperties)
	if msg != "" {
		c.invalid(msg)
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	cs := p.contacts
	v := &contactView{cs: cs}
	total, page := q.run(cs.n, func(i int) searchRecord {
		*v = cs.view(i)
		return v
	})
	resp := searchResponse{Total: total, Results: make([]wireObject, 0, len(page))}
	for _, i := range page {
		resp.Results = append(resp.Results, p.contactObject(cs.view(i), q.properties))
	}
	resp.Paging = nextPaging(q.nextSearchAfter(total), "")
	c.json(200, resp)
}
