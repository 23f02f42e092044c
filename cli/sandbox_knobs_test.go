package cli

import (
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// --reject-writes and --merged reach the sandbox; bad values are usage
// errors, and IDs the portal lacks are refused rather than ignored.
func TestSandboxRecordKnobFlags(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) (hubspottest.Config, error) {
		fs := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		k := addSandboxKnobs(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return k.config()
	}
	cfg, err := parse("--contacts", "50", "--reject-writes", "10001, 10004", "--merged", "10007=10010")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.RejectWrites) != 2 || cfg.RejectWrites[1] != "10004" || cfg.Merged["10007"] != "10010" {
		t.Fatalf("config %+v", cfg)
	}
	for _, bad := range [][]string{{"--reject-writes", "abc"}, {"--merged", "10007"}, {"--merged", "x=1"}} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	cfg, _ = parse("--contacts", "50")
	pg := hubspottest.New(cfg)
	var live []hubspot.ContactID
	for n := 10_001; n < 10_030; n++ {
		if id := hubspot.ContactID(strconv.Itoa(n)); hasContact(pg, id) {
			live = append(live, id)
		}
	}
	cfg.RejectWrites, cfg.Merged = []hubspot.ContactID{live[0]}, map[hubspot.ContactID]hubspot.ContactID{live[1]: live[2]}
	if _, err := hubspottest.Open(cfg); err != nil {
		t.Fatalf("existing contacts refused: %v", err)
	}
	cfg.RejectWrites = []hubspot.ContactID{"99999999"}
	if _, err := hubspottest.Open(cfg); err == nil || !strings.Contains(err.Error(), "99999999") {
		t.Errorf("a missing contact: %v", err)
	}
}

func hasContact(sb *hubspottest.Server, id hubspot.ContactID) bool {
	_, ok := sb.Contact(id)
	return ok
}

// The record counts of the other owned types reach the generator; 0 is
// none, and a count out of range is a usage error.
func TestSandboxRecordCountFlags(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) (hubspottest.Config, error) {
		fs := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		k := addSandboxKnobs(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return k.config()
	}
	cfg, err := parse("--companies", "12", "--deals", "0", "--tickets", "5")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Companies != 12 || cfg.Deals >= 0 || cfg.Tickets != 5 || cfg.CustomRecords != 150 {
		t.Fatalf("config %+v", cfg)
	}
	sb := hubspottest.New(cfg)
	srv := httptest.NewServer(sb)
	defer srv.Close()
	c := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()))
	for typ, want := range map[hubspot.ObjectType]int{"companies": 12, "deals": 0, "tickets": 5} {
		n := 0
		for _, err := range c.Records(context.Background(), typ, nil) {
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			n++
		}
		if n != want {
			t.Errorf("%d %s served, want %d", n, typ, want)
		}
	}
	if _, err := parse("--deals", "1000001"); err == nil || !strings.Contains(err.Error(), "--deals must be between 0 and 1000000") {
		t.Errorf("an out-of-range count: %v", err)
	}
}
