package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hsadmin/hsadmin/hubspot"
)

// fuzzMirror is the hand-built sample portal, opened once per fuzz target.
func fuzzMirror(f *testing.F) *Mirror {
	ctx := context.Background()
	m, _, err := OpenMirror(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { m.Close() })
	if err := m.ReplaceDirectory(ctx, sampleDirectory(), time.Now()); err != nil {
		f.Fatal(err)
	}
	contacts := []hubspot.Contact{
		contact("1", "Zed", "zed@a.test", "900"),
		contact("2", "Yan", "yan@a.test", "902"),
		contact("3", "Xia", "xia@a.test", "501"),
		contact("4", "Wes", "WES@B.test", ""),
		contact("5", "Vic", "vic@b.test", "903"),
		contact("6", "Zoë 😀 עברית", "uma+\"quoted\"@b.test", "900"),
	}
	if err := m.PutContacts(ctx, contacts, 1, nil); err != nil {
		f.Fatal(err)
	}
	return m
}

var knownSchemes = []string{SchemeOwnerID, SchemeUserID, SchemeCRMUserID, SchemeInternalUserID, SchemeEmail}

// FuzzResolve pastes anything into the ID resolver: it never fails on the
// input, reports the input trimmed, names only known schemes, and calls a
// value ambiguous only when it has readings for two people.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"502", " ANN@X.TEST ", "robert@x.test", "777", "7001", "900", "", "@", "0502", "5e2",
		"-1", "9223372036854775808", "1;2", "'; DROP TABLE users; --", "%", "_", "ann@x.test\x00", "😀@x.test", "\u202eann@x.test"} {
		f.Add(s)
	}
	m := fuzzMirror(f)
	f.Fuzz(func(t *testing.T, in string) {
		ctx := context.Background()
		res, err := m.Resolve(ctx, in)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", in, err)
		}
		if res.Input != strings.TrimSpace(in) {
			t.Fatalf("Input %q for %q", res.Input, in)
		}
		if res.Ambiguous && len(res.Matches) < 2 {
			t.Fatalf("ambiguous with %d readings", len(res.Matches))
		}
		for _, mt := range res.Matches {
			if !slices.Contains(knownSchemes, mt.Scheme) {
				t.Fatalf("unknown scheme %q", mt.Scheme)
			}
			if mt.Card.UserID == "" && mt.Card.OwnerID == "" && mt.Card.CRMUserID == "" {
				t.Fatalf("a reading with an empty card: %+v", mt)
			}
		}
		again, err := m.Resolve(ctx, in)
		if err != nil || len(again.Matches) != len(res.Matches) || again.Ambiguous != res.Ambiguous {
			t.Fatalf("Resolve(%q) changed between calls: %+v then %+v", in, res, again)
		}
	})
}

// FuzzContactFilter types anything into the contacts filter, which reaches a
// full-text index with its own query syntax: no input is an error, and a
// contact's whole email always finds it.
func FuzzContactFilter(f *testing.F) {
	for _, s := range []string{"zed", "ZED@A.TEST", "a.test", "\"", "\"\"", "*", "a*", "NEAR(a b)", "a OR b", "-x", "^", "(", ")",
		"col:val", "'", "%", "_", "\\", "😀", "עברית", "Zoë", "\x00", "uma+\"quoted\"@b.test", "900", "  "} {
		f.Add(s)
	}
	m := fuzzMirror(f)
	emails := []string{"zed@a.test", "yan@a.test", "xia@a.test", "wes@b.test", "vic@b.test", "uma+\"quoted\"@b.test"}
	f.Fuzz(func(t *testing.T, filter string) {
		ctx := context.Background()
		rows, err := m.Contacts(ctx, Query{Filter: filter})
		if err != nil {
			t.Fatalf("filter %q: %v", filter, err)
		}
		n, err := m.CountContacts(ctx, Query{Filter: filter})
		if err != nil || n != len(rows) {
			t.Fatalf("filter %q: %d rows, count %d (%v)", filter, len(rows), n, err)
		}
		if !utf8.ValidString(filter) {
			return
		}
		for _, e := range emails {
			if strings.EqualFold(strings.TrimSpace(filter), e) && !slices.ContainsFunc(rows, func(r ContactRow) bool { return strings.EqualFold(r.Email, e) }) {
				t.Fatalf("filter %q does not find the contact with that email (got %d rows)", filter, len(rows))
			}
		}
	})
}
