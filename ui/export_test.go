package ui

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func TestCSVSafe(t *testing.T) {
	cases := map[string]string{
		"=1+2":        "'=1+2",
		"+49 30 1234": "'+49 30 1234",
		"-2":          "'-2",
		"@SUM(A1)":    "'@SUM(A1)",
		"\tx":         "'\tx",
		"\rx":         "'\rx",
		"Ana Lopez":   "Ana Lopez",
		"a=b":         "a=b",
		"":            "",
		"5001":        "5001",
	}
	for in, want := range cases {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func exportedFile(t *testing.T, h *harness, ext string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(h.m.opts.dir, "*."+ext))
	if len(files) != 1 {
		t.Fatalf("want one .%s export, found %v (msg %q err %q)", ext, files, h.m.msg, h.m.err)
	}
	return files[0]
}

func TestExportContactsCSVEscapesFormulas(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 1500}, Options{})
	h.keys("3", "esc", "ctrl+s")
	path := exportedFile(t, h, "csv")
	if filepath.Base(path) != "hsadmin-contacts-20261122-100000.csv" {
		t.Fatalf("file name %s", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1501 {
		t.Fatalf("exported %d rows, want header + every matching contact (1500), not only the loaded window", len(recs))
	}
	if recs[0][0] != "contact_id" || recs[5][1] != `'=HYPERLINK("http://evil")` {
		t.Fatalf("header %v, formula row %v", recs[0], recs[5])
	}
	if !strings.Contains(h.m.msg, "exported 1,500 rows") {
		t.Fatalf("msg %q", h.m.msg)
	}
}

func TestExportMarkedRowsAsJSON(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space", "j", "j", "space")
	h.keys(":")
	h.typ("export json")
	h.keys("enter")
	data, err := os.ReadFile(exportedFile(t, h, "json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0]["user_id"] != "101" || got[1]["user_id"] != "104" || got[1]["owner_id"] != "5003" {
		t.Fatalf("exported %v", got)
	}
	// A second export never overwrites the first.
	h.keys(":")
	h.typ("export json")
	h.keys("enter")
	files, _ := filepath.Glob(filepath.Join(h.m.opts.dir, "*.json"))
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
}

func TestAPILogView(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	at := time.Date(2026, 11, 22, 9, 59, 0, 0, time.UTC)
	b := loggedFake{Fake: fake, calls: []APICall{
		{Time: at, Method: "GET", Path: "/crm/v3/owners", Status: 200, Latency: 42 * time.Millisecond, RateRemaining: 99},
		{Time: at.Add(time.Second), Method: "POST", Path: "/crm/v3/objects/contacts/search", Status: 429, Latency: 8 * time.Millisecond, RateRemaining: -1},
	}}
	h := newHarnessWith(t, 120, 40, fake, b, Options{})
	h.keys("L")
	if h.m.view != viewLog {
		t.Fatal("L did not open the API log")
	}
	s := h.screen()
	for _, want := range []string{"POST   /crm/v3/objects/contacts/search", "429", "rate ?", "GET    /crm/v3/owners", "42ms rate 99"} {
		if !strings.Contains(s, want) {
			t.Fatalf("log lacks %q:\n%s", want, s)
		}
	}
	if strings.Index(s, "contacts/search") > strings.Index(s, "/crm/v3/owners") {
		t.Fatal("newest call should be first")
	}
	h.keys("esc")
	if h.m.view != viewMain {
		t.Fatal("esc did not go back")
	}
}
