package ui

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// Read-only, the jobs view offers no resume or undo, and says why.
func TestReadOnlyJobsViewOffersNoWrites(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(sizeName(size), func(t *testing.T) {
			fake := uitest.New(uitest.Config{})
			fake.AddJob(portal.JobSummary{Job: portal.Job{Kind: portal.KindReassign, State: portal.JobInterrupted, Summary: "Reassign 40 contacts"},
				Items: portal.ItemCounts{Total: 40, Done: 10, Pending: 30}})
			h := newHarnessWith(t, size[0], size[1], fake, fake, Options{ReadOnly: true})
			h.keys("J")
			s := h.screen()
			for _, no := range []string{"c resumes it", "u undoes it", "u undo", "c resume"} {
				if strings.Contains(s, no) {
					t.Errorf("read-only jobs view offers %q:\n%s", no, s)
				}
			}
			mustContain(t, s, "read-only")
			h.golden("jobs_readonly_" + sizeName(size))
			for _, k := range []string{"c", "u"} {
				h.keys(k)
				if h.m.reassign != nil {
					t.Fatalf("%s started a job read-only", k)
				}
				if !strings.Contains(h.m.msg, "read-only") || strings.Contains(h.m.msg, "cannot reassign") {
					t.Errorf("%s says %q, want the read-only reason", k, h.m.msg)
				}
			}
		})
	}
}
