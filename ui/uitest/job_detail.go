package uitest

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/portal"
)

// SetJobItems gives job id the items JobDetail reports, e.g. failures
// with HubSpot's long messages; jobs without them report their plan's
// contacts, settled in order.
func (f *Fake) SetJobItems(id int64, items []portal.JobItemDetail) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.details == nil {
		f.details = map[int64][]portal.JobItemDetail{}
	}
	f.details[id] = items
}

// JobDetail reports a recorded job and its items.
func (f *Fake) JobDetail(ctx context.Context, id int64) (portal.JobDetail, error) {
	if err := f.enter(ctx); err != nil {
		return portal.JobDetail{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.job(id)
	if j == nil {
		return portal.JobDetail{}, fmt.Errorf("job %d: %w", id, portal.ErrNoSuchJob)
	}
	d := portal.JobDetail{Job: j.summary}
	if items, ok := f.details[id]; ok {
		d.Items = append(d.Items, items...)
		return d, nil
	}
	for i, it := range j.plan.Items {
		state := portal.ItemPending
		if i < j.done {
			state = portal.ItemDone
		}
		d.Items = append(d.Items, portal.JobItemDetail{Seq: i + 1, SubjectID: string(it.ContactID),
			Subject: "contact " + string(it.ContactID) + " " + it.Name,
			Change:  "owner " + string(it.From) + " → owner " + string(it.To), State: state})
	}
	return d, nil
}
