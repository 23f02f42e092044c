package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

const refusalCorrelation = "0b7f3c1e-5a4d-4c2e-9f6b-2d1e8a7c6b5f"

// refuseBatchUpdates answers every contact batch update with a 400 whose
// message is longer than any screen line and echoes the token.
func refuseBatchUpdates(token, message string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != "POST" || !strings.HasSuffix(r.URL.Path, "/batch/update") {
				next.ServeHTTP(w, r)
				return
			}
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			body, _ := json.Marshal(map[string]string{"status": "error", "category": "VALIDATION_ERROR",
				"message": message + " (sent with " + token + ")", "correlationId": refusalCorrelation})
			w.Write(body)
		})
	}
}

func TestJobsShowPrintsEveryItemWithHubSpotsWholeReason(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 300})
	message := "Batch input rejected: " + strings.Repeat("this part of HubSpot's explanation must not be cut at any screen edge, ", 4) + "end of reason"
	tp.srv.Config.Handler = refuseBatchUpdates(tp.token, message)(tp.sb)
	dataDir := "--data-dir=" + tp.dataDir
	fx := tp.sb.Fixtures()
	code, out, errOut := tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner), "--yes")
	if code == exitOK {
		t.Fatalf("a refused job exited 0:\n%s\n%s", out, errOut)
	}

	code, out, errOut = tp.runCLI(t, "jobs", "show", "1", dataDir)
	if code != exitOK {
		t.Fatalf("jobs show: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Job 1 · reassign", "Outcome: ", "failed", message, "correlation ID: " + refusalCorrelation, "owner " + string(fx.ArchivedOwner) + " → owner " + string(fx.ActiveOwner)} {
		if !strings.Contains(out, want) {
			t.Errorf("jobs show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, tp.token) {
		t.Errorf("jobs show prints the token:\n%s", out)
	}

	code, out, errOut = tp.runCLI(t, "jobs", "show", "1", "--json", dataDir)
	if code != exitOK {
		t.Fatalf("jobs show --json: exit %d\n%s", code, errOut)
	}
	var d portal.JobDetailRecord
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("more than one JSON document:\n%s", out)
	}
	if d.ID != 1 || len(d.Items) == 0 || d.Failed != len(d.Items) {
		t.Fatalf("detail %+v", d)
	}
	for _, it := range d.Items {
		if it.Outcome != "failed" || !strings.Contains(it.Reason, message) || it.CorrelationID != refusalCorrelation || it.SubjectID == "" {
			t.Errorf("item %+v", it)
		}
		if strings.Contains(it.Reason, refusalCorrelation) {
			t.Errorf("the correlation ID is repeated in the reason: %q", it.Reason)
		}
	}
	if strings.Contains(out, tp.token) {
		t.Error("jobs show --json prints the token")
	}

	if code, _, errOut = tp.runCLI(t, "jobs", "show", "7", dataDir); code != exitFailure || !strings.Contains(errOut, "no job 7") {
		t.Errorf("jobs show of a missing job: exit %d, %s", code, errOut)
	}
	if code, _, _ = tp.runCLI(t, "jobs", "show", dataDir); code != exitUsage {
		t.Errorf("jobs show without a job: exit %d", code)
	}
}
