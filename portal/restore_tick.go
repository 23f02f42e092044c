package portal

import (
	"context"
	"os"
	"os/user"
	"time"
)

// TickRestoreItems ticks off checklist items by hand: the admin gave the
// role back in HubSpot's UI (a sync would also see it), or decided the user
// should not have it back. The journal records them as ticked by hand, by
// the local account running hsadmin, now. It returns the IDs it ticked;
// items already ticked off are left as they are.
func (p *Portal) TickRestoreItems(ctx context.Context, ids []int64) ([]int64, error) {
	return p.journal.TickByHand(ctx, ids, localAccount(), time.Now())
}

// localAccount names who runs hsadmin, for the journal.
func localAccount() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}
