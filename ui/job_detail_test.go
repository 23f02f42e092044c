package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

const (
	longReason = "HubSpot answered 400 to POST /crm/v3/objects/contacts/batch/update VALIDATION_ERROR: " +
		"Property values were not valid: 160035579 is not a valid owner id — owner 160035579 is Ava Patel, " +
		"who is deactivated: HubSpot gives no records to a deactivated owner; pick an active owner"
	detailCorrelation = "6f1c2a9e-8b7d-4e3f-a2c1-0d9e8f7a6b5c"
)

// failedJob is a journal job whose items HubSpot partly refused.
func failedJob(t *testing.T) *uitest.Fake {
	t.Helper()
	fake := uitest.New(uitest.Config{})
	fake.AddJob(portal.JobSummary{Job: portal.Job{Kind: portal.KindReassign, State: portal.JobDone, Summary: "Undo job 1: reassign 3 contacts",
		CreatedAt: time.Date(2026, 11, 21, 16, 5, 0, 0, time.UTC)},
		Items: portal.ItemCounts{Total: 3, Done: 1, Failed: 2}})
	fake.SetJobItems(1, []portal.JobItemDetail{
		{Seq: 1, SubjectID: "1000000", Subject: "contact 1000000 Carla Ruiz", Change: "owner 5001 → owner 160035579", State: portal.ItemFailed,
			Reason: longReason, CorrelationID: detailCorrelation},
		{Seq: 2, SubjectID: "1000001", Subject: "contact 1000001 Dan Wu", Change: "owner 5001 → owner 5002", State: portal.ItemDone},
		{Seq: 3, SubjectID: "1000002", Subject: "contact 1000002 Eve Lam", Change: "owner 5001 → owner 160035579", State: portal.ItemFailed,
			Reason: longReason, CorrelationID: detailCorrelation},
	})
	return fake
}

func openFailedJob(t *testing.T, w, hgt int) *harness {
	t.Helper()
	fake := failedJob(t)
	h := newHarnessWith(t, w, hgt, fake, fake, Options{})
	h.keys("J", "enter")
	if h.m.jobDetail == nil || !h.m.jobDetail.loaded {
		t.Fatalf("enter did not open the job:\n%s", h.screen())
	}
	return h
}

// unwrapped joins the screen's lines inside box borders, so that a
// wrapped message reads as one text again.
func unwrapped(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		l = strings.Trim(l, "│ ")
		b.WriteString(strings.TrimSpace(l))
		b.WriteString(" ")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestJobDetailShowsHubSpotsWholeReasonGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(sizeName(size), func(t *testing.T) {
			h := openFailedJob(t, size[0], size[1])
			s := h.screen()
			assertFits(t, s, size[0], size[1])
			flat := unwrapped(s)
			for _, want := range []string{"pick an active owner", "correlation ID " + detailCorrelation, "outcome: done: 1 changed, 2 failed", "contact 1000001 Dan Wu"} {
				if !strings.Contains(flat, want) {
					t.Errorf("the job detail lacks %q:\n%s", want, s)
				}
			}
			if strings.Contains(s, "…/batch/upd") || strings.Contains(s, "batch/upd…") {
				t.Errorf("the reason is cut at the edge:\n%s", s)
			}
			h.golden("job_detail_" + sizeName(size))
			h.keys("esc")
			if h.m.jobDetail != nil || h.m.jobs == nil {
				t.Fatal("esc did not go back to the jobs list")
			}
		})
	}
}

func TestJobDetailScrollsAndFiltersAtAnySize(t *testing.T) {
	h := openFailedJob(t, 40, 10)
	assertFits(t, h.screen(), 40, 10)
	// Line by line, the whole of the first reason passes by.
	seen := map[string]bool{}
	for range 60 {
		for _, l := range strings.Split(h.screen(), "\n") {
			seen[strings.TrimSpace(strings.Trim(l, "│"))] = true
		}
		h.keys("j")
		assertFits(t, h.screen(), 40, 10)
	}
	var all []string
	for l := range seen {
		all = append(all, l)
	}
	joined := strings.Join(all, "\n")
	for _, word := range []string{"deactivated", "active", "6f1c2a9e", "1000002", "Eve"} {
		if !strings.Contains(joined, word) {
			t.Errorf("scrolling never showed %q", word)
		}
	}
	h.keys("g", "p")
	if v := h.m.jobDetail; len(v.shownIdx) != 2 || !strings.Contains(h.screen(), "2 of 3 items failed or skipped") {
		t.Fatalf("p did not keep only the failures:\n%s", h.screen())
	}
	h.send(tea.WindowSizeMsg{Width: 20, Height: 6})
	if s := h.screen(); !strings.Contains(s, "too small") {
		t.Errorf("20x6:\n%s", s)
	}
	assertFits(t, h.screen(), 20, 6)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	assertFits(t, h.screen(), 80, 24)
}

func TestAPILogShowsTheBodyOfAFailedCall(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	body := `{"status":"error","message":"` + strings.Repeat("a reason HubSpot explains at length, ", 6) + `the end","correlationId":"` + detailCorrelation + `"}`
	lf := loggedFake{Fake: fake, calls: []APICall{{Time: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), Method: "POST",
		Path: "/crm/v3/objects/contacts/batch/update", Status: 400, RateRemaining: -1, Body: body}}}
	h := newHarnessWith(t, 120, 40, fake, lf, Options{})
	h.keys("L", "enter")
	flat := unwrapped(h.screen())
	if !strings.Contains(flat, "HubSpot answered:") || !strings.Contains(strings.ReplaceAll(flat, " ", ""), strings.ReplaceAll(body, " ", "")) {
		t.Fatalf("the API log does not show the whole body:\n%s", h.screen())
	}
}

// The end of a run shows each reason once, whole, for all the contacts it
// is about, instead of one line per contact cut at the screen's edge.
func TestRunResultGroupsFailuresWithTheirWholeReason(t *testing.T) {
	h := newHarness(t, 80, 24, uitest.Config{}, Options{})
	var problems []portal.ItemProblem
	for _, id := range []string{"10005", "10171", "10320"} {
		problems = append(problems, portal.ItemProblem{ContactID: hubspot.ContactID(id), State: portal.ItemFailed, Reason: longReason})
	}
	h.m.openReassign(&reassignFlow{stage: rsDone, who: "undo of job 2", jobID: 3,
		result: portal.JobResult{JobID: 3, State: portal.JobDone, Total: 3, Failed: 3, Problems: problems}})
	h.m.version++
	s := h.screen()
	assertFits(t, s, 80, 24)
	flat := unwrapped(s)
	if !strings.Contains(flat, "3 contacts failed: contact 10005, 10171, 10320") || !strings.Contains(flat, "pick an active owner") {
		t.Fatalf("the result does not give the whole reason:\n%s", s)
	}
	if strings.Count(s, "pick an active owner") != 1 {
		t.Errorf("the same reason is repeated per contact:\n%s", s)
	}
	mustContain(t, s, "enter on job 3 in :jobs lists every contact")
}

func TestJobDetailKeepsItemsInSightUnderALongSummary(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	fake.AddJob(portal.JobSummary{Job: portal.Job{Kind: portal.KindReassign, State: portal.JobDone,
		Summary: strings.Repeat("Reassign contacts of many owners to one owner ", 6)},
		Items: portal.ItemCounts{Total: 1, Failed: 1}})
	fake.SetJobItems(1, []portal.JobItemDetail{{Seq: 1, Subject: "contact 1000000 Carla Ruiz", Change: "owner 5001 → owner 5002",
		State: portal.ItemFailed, Reason: longReason}})
	h := newHarnessWith(t, 40, 10, fake, fake, Options{})
	h.keys("J", "enter")
	s := h.screen()
	assertFits(t, s, 40, 10)
	if !strings.Contains(s, "1  failed") {
		t.Errorf("the summary pushed the items out of sight:\n%s", s)
	}
}
