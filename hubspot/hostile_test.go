package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// Answers no HubSpot page looks like are retried, and named clearly when
// they persist.
func TestHostileAnswersAreNamed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults hubspottest.Faults
		want   string
	}{
		{"html 200", hubspottest.Faults{NonJSON: 1}, "a web page, not JSON"},
		{"oversized", hubspottest.Faults{Oversized: 1}, "larger than 64 MiB"},
		{"truncated", hubspottest.Faults{Truncated: 1}, "cut short"},
		{"html 502", hubspottest.Faults{HTML: 1}, "HTML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, hubspottest.Config{Contacts: 5})
			sb.SetFaults(tc.faults)
			var waits []time.Duration
			c := sb.client(hubspot.WithRetry(3), hubspot.WithSleep(func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return ctx.Err()
			}))
			_, err := c.ContactsPage(context.Background(), "", 10, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "after 3 attempts") {
				t.Fatalf("got %v, want it to say %q after 3 attempts", err, tc.want)
			}
			if strings.Contains(err.Error(), sb.Token) {
				t.Errorf("token in error")
			}
			if len(waits) != 2 {
				t.Errorf("waited %v, want two backoffs", waits)
			}
			if n := sb.InjectedFaults().Total(); n != 3 {
				t.Errorf("%d faults injected, want 3", n)
			}
			// The same client recovers once the network does.
			sb.SetFaults(hubspottest.Faults{})
			if _, err := c.ContactsPage(context.Background(), "", 10, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A 429 under the DAILY policy is never retried; the others wait what the
// policy says, recorded here instead of slept.
func TestInjected429ByPolicy(t *testing.T) {
	for policy, want := range map[string]time.Duration{"TEN_SECONDLY_ROLLING": 10 * time.Second, "SECONDLY": time.Second, "DAILY": 0} {
		t.Run(policy, func(t *testing.T) {
			sb := newSandbox(t, hubspottest.Config{Contacts: 5})
			sb.SetFaults(hubspottest.Faults{RateLimited: 1, RateLimitPolicy: policy})
			var waits []time.Duration
			c := sb.client(hubspot.WithRetry(3), hubspot.WithSleep(func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return ctx.Err()
			}))
			_, err := c.UsersPage(context.Background(), "", 10)
			var rl *hubspot.RateLimitError
			if !errors.As(err, &rl) || rl.Policy != policy {
				t.Fatalf("got %v", err)
			}
			if want == 0 {
				if len(waits) != 0 || sb.InjectedFaults().RateLimited != 1 || !strings.Contains(err.Error(), "daily") {
					t.Errorf("DAILY: waits %v, %d requests, %v", waits, sb.InjectedFaults().RateLimited, err)
				}
				return
			}
			if len(waits) != 2 || waits[0] != want || waits[1] != want {
				t.Errorf("waits %v, want 2 × %v", waits, want)
			}
		})
	}
}
