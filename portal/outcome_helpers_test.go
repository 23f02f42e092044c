package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/store"
)

// assertOutcomesTrue checks every job of the journal, as the jobs view
// lists them: none is running unless this process runs it, and each
// outcome says exactly what the items say, counted here again from the raw
// items of the job and of its undos.
func assertOutcomesTrue(t testing.TB, p *Portal) {
	t.Helper()
	ctx := context.Background()
	hist, err := p.JobHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range hist {
		if _, here := runningJobs.Load(runKey{p.info.Dir, j.ID}); j.State == store.JobRunning && !here {
			t.Errorf("job %d is listed running, but no process runs it", j.ID)
		}
		if want := outcomeFromItems(t, p, j, hist); j.Outcome() != want {
			t.Errorf("job %d: outcome %q, its items say %q", j.ID, j.Outcome(), want)
		}
	}
}

// outcomeFromItems writes the outcome a job's items and its undos' items
// give, independently of JobSummary's own arithmetic.
func outcomeFromItems(t testing.TB, p *Portal, j JobSummary, hist []JobSummary) string {
	t.Helper()
	items := rawItems(t, p, j.ID)
	n := map[string]int{}
	for _, it := range items {
		n[it.State]++
	}
	if j.Kind == KindOffboard {
		return offboardOutcomeFromItems(j, n, len(items))
	}
	var undos []JobSummary // oldest first
	for i := len(hist) - 1; i >= 0; i-- {
		var head struct {
			UndoOf int64 `json:"undoOf"`
		}
		if hist[i].Kind == KindReassign && json.Unmarshal(hist[i].Plan, &head) == nil && head.UndoOf == j.ID {
			undos = append(undos, hist[i])
		}
	}
	status := j.State
	if status == store.JobUndone {
		status = store.JobDone
	}
	var back, elsewhere, changed int
	if len(undos) > 0 {
		var undoItems []store.JobItem
		for _, u := range undos {
			undoItems = append(undoItems, rawItems(t, p, u.ID)...)
		}
		for _, it := range items {
			if it.State != store.ItemDone && it.State != store.ItemSent {
				continue
			}
			changed++
			wentBack, settled := false, false
			for _, u := range undoItems {
				if u.SubjectID == it.SubjectID && u.State == store.ItemDone {
					settled = true
					wentBack = wentBack || bytes.Equal(u.After, it.Before)
				}
			}
			switch {
			case wentBack:
				back++
			case settled:
				elsewhere++
			}
		}
		last := undos[len(undos)-1]
		lastItems := rawItems(t, p, last.ID)
		lastLeft := 0
		for _, it := range lastItems {
			if it.State == store.ItemPending || it.State == store.ItemSent {
				lastLeft++
			}
		}
		switch {
		case back+elsewhere == changed:
			status = StatusUndone
		case last.State == store.JobRunning:
			status = StatusUndoing
		case lastLeft > 0 && last.State == store.JobCancelled:
			status = StatusUndoCancelled
		case lastLeft > 0:
			status = StatusUndoInterrupted
		case back+elsewhere == 0:
			status = StatusUndoFailed
		default:
			status = StatusPartlyUndone
		}
		s := outcomeCounts(status, n)
		var parts []string
		if back == changed {
			parts = append(parts, "all back")
		} else if back > 0 {
			parts = append(parts, Thousands(back)+" back")
		}
		if elsewhere > 0 {
			parts = append(parts, Thousands(elsewhere)+" to another owner instead")
		}
		if rest := changed - back - elsewhere; rest > 0 && back+elsewhere == 0 {
			parts = append(parts, "none back")
		} else if rest > 0 {
			parts = append(parts, Thousands(rest)+" not back")
		}
		ids := make([]string, len(undos))
		for i, u := range undos {
			ids[i] = fmt.Sprint(u.ID)
		}
		word := "undo job "
		if len(undos) > 1 {
			word = "undo jobs "
		}
		s += "; " + strings.Join(parts, ", ") + " (" + word + strings.Join(ids, ", ") + ")"
		if lastLeft > 0 && last.State != store.JobRunning {
			s += fmt.Sprintf("; undo job %d stopped with %s left", last.ID, Thousands(lastLeft))
		}
		return s
	}
	return outcomeCounts(status, n)
}

func outcomeCounts(status string, n map[string]int) string {
	s := status + ": " + Thousands(n[store.ItemDone]) + " changed"
	for _, c := range []struct {
		state, word string
	}{{store.ItemSent, "unknown"}, {store.ItemFailed, "failed"}, {store.ItemSkipped, "skipped"}, {store.ItemPending, "left"}} {
		if n[c.state] > 0 {
			s += ", " + Thousands(n[c.state]) + " " + c.word
		}
	}
	return s
}

func rawItems(t testing.TB, p *Portal, jobID int64) []store.JobItem {
	t.Helper()
	items, err := p.journal.JobItems(context.Background(), jobID)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// offboardOutcomeFromItems is an offboarding's outcome from its steps: done
// when every step settled done or skipped, failed when one failed.
func offboardOutcomeFromItems(j JobSummary, n map[string]int, total int) string {
	status := j.State
	switch settled := n[store.ItemDone] + n[store.ItemSkipped]; {
	case j.State == store.JobRunning:
	case settled == total && total > 0:
		status = store.JobDone
	case n[store.ItemFailed] > 0:
		status = store.JobFailed
	}
	s := fmt.Sprintf("%s: %d of %d steps done", status, n[store.ItemDone]+n[store.ItemSkipped], total)
	if n[store.ItemFailed] > 0 {
		s += fmt.Sprintf(", %d failed", n[store.ItemFailed])
	}
	if left := n[store.ItemPending] + n[store.ItemSent]; left > 0 {
		s += fmt.Sprintf(", %d left", left)
	}
	return s
}
