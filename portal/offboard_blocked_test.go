package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// openAs opens the env's data directory again with a token of the given
// scopes; known says whether the portal learns them (from HubSpot's token
// endpoint) or opens by hub ID, with its scopes unknown.
func (e *env) openAs(t *testing.T, known, readOnly bool, scopes ...string) *Portal {
	t.Helper()
	token := e.sb.IssueToken(scopes...)
	client := hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	cfg := Config{Client: client, DataDir: e.dir, BaseURL: e.srv.URL, Sandbox: true, ReadOnly: readOnly}
	if known {
		cfg.AccessToken = token
	} else {
		cfg.HubID = e.sb.HubID()
	}
	p, _, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func without(all []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(drop, s) })
}

func blockerNaming(r OffboardReport, word string) *Blocker {
	for i, b := range r.Blockers {
		if strings.Contains(b.String(), word) {
			return &r.Blockers[i]
		}
	}
	return nil
}

// TestOffboardBlockers: each blocker is named with what to do, the job
// cannot be recorded while one stands, and nothing is sent.
func TestOffboardBlockers(t *testing.T) {
	e := newEnv(t, offboardConfig(), nil)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	to := successor(t, e, u)
	users, _ := e.p.Users(ctx, store.Query{Limit: 1000})
	admin := users[slices.IndexFunc(users, func(x store.UserRow) bool { return x.SuperAdmin && x.OwnerID != "" })]

	noBilling := e.openAs(t, true, false, without(hubspottest.AllScopes, ScopeBillingWrite)...)
	readOnly := e.openAs(t, true, true)
	tests := []struct {
		name string
		p    *Portal
		req  OffboardRequest
		word string // in the blocker
		do   string // in what to do
	}{
		{"super admin", e.p, OffboardRequest{Person: string(admin.UserID), To: string(to.ID)}, "super admin", "--keep-user"},
		{"paid seat without the billing scope", noBilling, OffboardRequest{Person: u.Email, To: string(to.ID)}, ScopeBillingWrite, "free the seat in HubSpot's settings"},
		{"read-only", readOnly, OffboardRequest{Person: u.Email, To: string(to.ID)}, "read-only", "read_only = false"},
		{"deactivated new owner", e.p, OffboardRequest{Person: u.Email, To: string(e.sb.Fixtures().ArchivedOwner)}, "deactivated", "pick an active owner"},
		{"no new owner", e.p, OffboardRequest{Person: u.Email}, "no new owner", "--to OWNER"},
		{"the leaver as new owner", e.p, OffboardRequest{Person: u.Email, To: string(u.OwnerID)}, "person leaving", "someone else"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writes := len(e.sb.WriteRequests())
			r, err := tt.p.PreflightOffboard(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			b := blockerNaming(r, tt.word)
			if b == nil || !strings.Contains(b.Do, tt.do) {
				t.Fatalf("blockers %v: want one naming %q that says %q", r.Blockers, tt.word, tt.do)
			}
			if _, err := tt.p.RecordOffboard(ctx, r); err == nil || !strings.Contains(err.Error(), "blocked") && !strings.Contains(err.Error(), "read-only") {
				t.Errorf("a blocked offboarding was recorded (%v)", err)
			}
			if n := len(e.sb.WriteRequests()) - writes; n > 0 {
				t.Errorf("%d writes sent", n)
			}
		})
	}

	// A super admin can still be handed over and kept.
	r, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: string(admin.UserID), To: string(to.ID), KeepUser: true})
	if err != nil || blockerNaming(r, "super admin") != nil {
		t.Errorf("keeping a super admin: %v, %v", r.Blockers, err)
	}
	// Keeping the user turns the seat the token cannot free into a checklist item.
	r, err = noBilling.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(to.ID), KeepUser: true})
	if err != nil || r.Blocked() || !slices.ContainsFunc(r.Checklist, func(s string) bool { return strings.Contains(s, ScopeBillingWrite) }) {
		t.Errorf("keeping the user without the billing scope: blockers %v, checklist %v, %v", r.Blockers, r.Checklist, err)
	}
	// A read-only portal refuses a job recorded elsewhere, and sends nothing.
	rw, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(to.ID), Objects: []string{"contacts"}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.p.RecordOffboard(ctx, rw)
	if err != nil {
		t.Fatal(err)
	}
	writes := len(e.sb.WriteRequests())
	if _, err := readOnly.RunOffboard(ctx, id, nil); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("a read-only portal ran the job: %v", err)
	}
	if n := len(e.sb.WriteRequests()) - writes; n > 0 {
		t.Errorf("read-only mode sent %d writes", n)
	}
}

// TestOffboardSeatRefusedStopsBeforeTheRemoval: with the scopes unknown,
// HubSpot's refusal to free the seat fails step 3 with what to do; the
// user is not removed (a seat must be freed first), and a resume with the
// scope finishes the job.
func TestOffboardSeatRefusedStopsBeforeTheRemoval(t *testing.T) {
	e := newEnv(t, offboardConfig(), nil)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	to := successor(t, e, u)
	p := e.openAs(t, false, false, without(hubspottest.AllScopes, ScopeBillingWrite)...)
	r, err := p.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(to.ID), Objects: []string{"contacts"}})
	if err != nil || r.Blocked() {
		t.Fatalf("%v, %v", r.Blockers, err)
	}
	id, err := p.RecordOffboard(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.RunOffboard(ctx, id, nil)
	if err != nil || res.State != store.JobFailed {
		t.Fatalf("%+v, %v", res, err)
	}
	if res.Steps[0].State != store.ItemDone || res.Steps[1].State != store.ItemDone || res.Steps[2].State != store.ItemFailed || res.Steps[3].State != store.ItemPending {
		t.Fatalf("steps %+v", res.Steps)
	}
	if msg := res.Steps[2].Message; !strings.Contains(msg, ScopeBillingWrite) || !strings.Contains(msg, "resume") {
		t.Errorf("seat failure says %q", msg)
	}
	if got, ok := e.sb.User(u.UserID); !ok || len(got.SeatNames) == 0 {
		t.Fatalf("the user was removed or the seat freed anyway: %+v %v", got, ok)
	}
	assertOutcomesTrue(t, p)
	hist, _ := e.p.jobSummary(ctx, id)
	if !hist.Resumable() || hist.Outcome() != "failed: 2 of 4 steps done, 1 failed, 1 left" {
		t.Errorf("job: resumable %v, %q", hist.Resumable(), hist.Outcome())
	}
	res, err = e.p.RunOffboard(ctx, id, nil)
	if err != nil || res.State != store.JobDone {
		t.Fatalf("resume with the scope: %+v, %v", res, err)
	}
	if _, ok := e.sb.User(u.UserID); ok {
		t.Error("the user is still there after the resume")
	}
	assertOutcomesTrue(t, e.p)
}

// TestOffboardKeepUser: records, teams and seats go, the user stays with
// its owner active, and the card says they left, user kept.
func TestOffboardKeepUser(t *testing.T) {
	e := newEnv(t, offboardConfig(), nil)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	to := successor(t, e, u)
	r, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: string(u.UserID), To: to.Email, KeepUser: true})
	if err != nil || r.Blocked() {
		t.Fatalf("%v, %v", r.Blockers, err)
	}
	id, err := e.p.RecordOffboard(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.RunOffboard(ctx, id, nil)
	if err != nil || res.State != store.JobDone || !strings.Contains(res.Steps[3].Message, "kept") {
		t.Fatalf("%+v, %v", res, err)
	}
	got, ok := e.sb.User(u.UserID)
	if !ok || got.PrimaryTeamID != "" || len(got.SecondaryTeamIDs) != 0 || len(got.SeatNames) != 0 {
		t.Fatalf("kept user: %+v (there: %v)", got, ok)
	}
	if o, _ := e.sb.Owner(u.OwnerID); o.Archived {
		t.Error("the kept user's owner was archived")
	}
	if n := heldBy(t, e, u.OwnerID, r.Handover); n != 0 {
		t.Errorf("%d records still theirs", n)
	}
	card, err := e.p.IDCardForUser(ctx, u.UserID)
	if err != nil || card.Departure == nil || !card.Departure.KeptUser || card.Departure.JobID != id || !card.Active {
		t.Errorf("card %+v, %v", card.Departure, err)
	}
	assertOutcomesTrue(t, e.p)
}
