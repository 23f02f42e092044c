package hubspot

import (
	"context"
	"fmt"
	"iter"
	"slices"
)

const contactsType = "contacts"

// DefaultContactProperties are the properties hsadmin reads from contacts.
var DefaultContactProperties = []string{PropEmail, PropFirstName, PropLastName, PropOwnerID, PropLastModifiedDate, PropCreateDate}

func contactProps(props []string) []string {
	if len(props) == 0 {
		return DefaultContactProperties
	}
	return props
}

// ContactsPage returns one page of contacts (at most 100; limit <= 0 means
// 100) with props (DefaultContactProperties when empty).
func (c *Client) ContactsPage(ctx context.Context, after string, limit int, props []string) (Page[Contact], error) {
	return listObjects[Contact](ctx, c, contactsType, after, limit, contactProps(props))
}

// Contacts iterates over every contact, 100 a page.
func (c *Client) Contacts(ctx context.Context, props []string) iter.Seq2[Contact, error] {
	props = contactProps(props)
	return paginate(ctx, func(ctx context.Context, after string) (Page[Contact], error) {
		return c.ContactsPage(ctx, after, maxObjectPage, props)
	})
}

// GetContact reads one contact.
func (c *Client) GetContact(ctx context.Context, id ContactID, props []string) (Contact, error) {
	if err := checkID("contact ID", string(id)); err != nil {
		return Contact{}, err
	}
	return getObject[Contact](ctx, c, contactsType, string(id), "", contactProps(props))
}

// UpdateContact sets props on a contact (PATCH) and returns it. Every value
// is sent as a string, hubspot_owner_id included; "" clears a property.
func (c *Client) UpdateContact(ctx context.Context, id ContactID, props Properties) (Contact, error) {
	if err := checkID("contact ID", string(id)); err != nil {
		return Contact{}, err
	}
	body := struct {
		Properties Properties `json:"properties"`
	}{props}
	// Replay-safe: the values are absolute, so a second PATCH changes nothing.
	o, _, err := call[objectJSON](ctx, c, request{method: "PATCH", path: objectPath(contactsType) + "/" + string(id), body: body, replaySafe: true})
	if err != nil {
		return Contact{}, err
	}
	return record[Contact](o), nil
}

// BatchReadContacts reads up to 100 contacts. IDs HubSpot does not know are
// reported in the result's Errors (HubSpot's 207), not as an error. An ID
// given twice is read once: HubSpot refuses a batch naming a record twice.
func (c *Client) BatchReadContacts(ctx context.Context, ids []ContactID, props []string) (BatchResult[Contact], error) {
	raw := make([]string, 0, len(ids))
	for _, id := range ids {
		if err := checkID("contact ID", string(id)); err != nil {
			return BatchResult[Contact]{}, err
		}
		if !slices.Contains(raw, string(id)) {
			raw = append(raw, string(id))
		}
	}
	return batchRead[Contact](ctx, c, contactsType, raw, contactProps(props))
}

// BatchUpdateContacts sets properties on up to 100 contacts. Inputs with
// unknown IDs are reported in the result's Errors (HubSpot's 207); an invalid
// property value of any input fails the whole batch with one *APIError
// listing every input's problems (see PropertyProblems). A contact named
// twice is refused before sending, as HubSpot refuses the whole batch.
func (c *Client) BatchUpdateContacts(ctx context.Context, inputs []BatchInput) (BatchResult[Contact], error) {
	if err := checkBatchSize(len(inputs), "inputs"); err != nil {
		return BatchResult[Contact]{}, err
	}
	if len(inputs) == 0 {
		return BatchResult[Contact]{}, nil
	}
	seen := make(map[ContactID]bool, len(inputs))
	for _, in := range inputs {
		if err := checkID("contact ID", string(in.ID)); err != nil {
			return BatchResult[Contact]{}, err
		}
		if seen[in.ID] {
			return BatchResult[Contact]{}, fmt.Errorf("hubspot: contact %s is in the batch twice; HubSpot refuses a batch naming a record twice, so nothing was sent", in.ID)
		}
		seen[in.ID] = true
	}
	body := struct {
		Inputs []BatchInput `json:"inputs"`
	}{inputs}
	// Replay-safe: every input carries absolute values.
	w, _, err := call[wireBatch](ctx, c, request{method: "POST", path: objectPath(contactsType) + "/batch/update", body: body, replaySafe: true})
	if err != nil {
		return BatchResult[Contact]{}, err
	}
	return batchResult[Contact](w), nil
}
