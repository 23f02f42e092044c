package portal

import (
	"context"
	"errors"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// OwnerHint says what a number HubSpot refused as hubspot_owner_id
// (INVALID_OWNER_ID) is, as far as the mirror knows: the owner of a
// deactivated user, a user ID written in place of an owner ID, or a number
// unknown to the owners list. The client alone cannot tell these apart;
// its generic advice would blame the wrong one.
func (p *Portal) OwnerHint(ctx context.Context, id hubspot.OwnerID) string {
	if id == "" {
		return ""
	}
	res, err := p.mirror.Resolve(ctx, string(id))
	if err != nil {
		return "" // the client's generic advice stands
	}
	var asUser *store.IDCard
	for i, m := range res.Matches {
		switch {
		case m.Scheme == store.SchemeOwnerID && m.Card.OwnerArchived:
			return fmt.Sprintf("owner %s is %s, who is deactivated: HubSpot gives no records to a deactivated owner; pick an active owner", id, describeCard(m.Card))
		case m.Scheme == store.SchemeOwnerID:
			return fmt.Sprintf("the mirror lists owner %s (%s) as active, so HubSpot has changed since the last sync: sync, then pick an active owner", id, describeCard(m.Card))
		case (m.Scheme == store.SchemeUserID || m.Scheme == store.SchemeInternalUserID) && asUser == nil:
			asUser = &res.Matches[i].Card
		}
	}
	if asUser != nil {
		if asUser.OwnerID == "" {
			return fmt.Sprintf("%s is the user ID of %s, not an owner ID, and %s has no owner to give records to", id, describeCard(*asUser), describeCard(*asUser))
		}
		return fmt.Sprintf("%s is the user ID of %s, not an owner ID: use %s's owner ID %s", id, describeCard(*asUser), describeCard(*asUser), asUser.OwnerID)
	}
	return fmt.Sprintf("%s is unknown to the owners list (no owner or user in the mirror has this number): sync, then pick an owner from the list", id)
}

// failure is what the journal keeps of a request HubSpot refused: its
// message, with the mirror's reading of a refused owner, and the
// correlation ID apart.
func (p *Portal) failureOf(ctx context.Context, err error, owner hubspot.OwnerID) (msg, correlationID string) {
	var apiErr *hubspot.APIError
	if !errors.As(err, &apiErr) {
		return err.Error(), ""
	}
	hint := ""
	if hubspot.IsInvalidOwner(err) {
		hint = p.OwnerHint(ctx, owner)
	}
	return apiErr.Explained(hint), apiErr.CorrelationID
}

// failAll records a batch HubSpot refused as a whole: every item failed,
// with HubSpot's message and correlation ID.
func (r *jobRun) failAll(ctx context.Context, items []jobItem, err error) {
	marks := make([]store.ItemMark, len(items))
	problems := make([]ItemProblem, len(items))
	hints := map[hubspot.OwnerID][2]string{} // a batch usually has one new owner: ask the mirror once
	for i, it := range items {
		h, ok := hints[it.after]
		if !ok {
			msg, corr := r.p.failureOf(ctx, err, it.after)
			h = [2]string{msg, corr}
			hints[it.after] = h
		}
		marks[i] = store.ItemMark{Seq: it.seq, State: store.ItemFailed, Error: h[0], CorrelationID: h[1]}
		problems[i] = it.problem(store.ItemFailed, h[0])
	}
	if err := r.record(ctx, marks, nil, problems); err != nil {
		r.halt(err)
	}
}
