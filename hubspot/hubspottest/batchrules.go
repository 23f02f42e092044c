package hubspottest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Batch rules HubSpot enforces that the sandbox follows, and the knobs that
// make a sandbox contact behave like a troublesome real one: a record that
// refuses writes, a record merged into another. See FIDELITY.md.

// msgTooManyInputs is HubSpot's answer to a batch of more than 100 inputs.
const msgTooManyInputs = "The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again"

// duplicateIDs lists the IDs that occur more than once among keys, each
// once, in order of their second occurrence.
func duplicateIDs(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	var dups []string
	for _, k := range keys {
		if seen[k] && !slices.Contains(dups, k) {
			dups = append(dups, k)
		}
		seen[k] = true
	}
	return dups
}

// duplicateIDsError is HubSpot's 400 for a batch naming a record twice:
// "Duplicate IDs found in batch input: [123456]. IDs must be unique", with
// the IDs in context.ids (a captured answer to batch/update).
func duplicateIDsError(dups []string) apiError {
	e := validationError("Duplicate IDs found in batch input: [" + strings.Join(dups, ", ") + "]. IDs must be unique")
	e.Context = map[string][]string{"ids": dups}
	return e
}

// checkBatchInputs applies the rules every batch shares: at most 100
// inputs, no ID twice. It answers the 400 and returns false when broken.
func (c *call) checkBatchInputs(inputs []batchInput) ([]string, bool) {
	if len(inputs) > maxBatchInputs {
		c.invalid(msgTooManyInputs)
		return nil, false
	}
	keys := make([]string, len(inputs))
	for i, in := range inputs {
		keys[i], _ = flexString(in.ID)
	}
	if dups := duplicateIDs(keys); len(dups) > 0 {
		c.fail(400, duplicateIDsError(dups))
		return nil, false
	}
	return keys, true
}

// notFoundKey is how HubSpot echoes an unknown ID in a 207's context.ids:
// as sent when it is a number, as "" when it is not (a captured answer).
func notFoundKey(key string) string {
	if _, err := strconv.ParseUint(key, 10, 64); err != nil {
		return ""
	}
	return key
}

// batchPropertyError is the one 400 a batch update gets when any input has
// a property problem: every input's problems in the message, naming no
// input, without the localizedErrorMessage and portalId a single PATCH's
// answer carries, and an errors[] list one entry shorter than the message's
// when there are several (as in the captured answer: four problems, three
// errors).
func batchPropertyError(problems []propertyProblem) apiError {
	for i := range problems {
		problems[i].LocalizedErrorMessage, problems[i].PortalID = "", 0
	}
	e := propertyError(problems)
	if len(e.Errors) > 1 {
		e.Errors = e.Errors[:len(e.Errors)-1]
	}
	return *e
}

// rejectProblems are the problems of a write to a contact the RejectWrites
// knob names: each property it sets fails validation, as a record held by
// a validation rule does. The text names the property, not the record.
func rejectProblems(raw map[string]json.RawMessage) []propertyProblem {
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]propertyProblem, 0, len(names))
	for _, name := range names {
		out = append(out, propertyProblem{
			Message: fmt.Sprintf("Property %q cannot be changed on this record: it fails a validation rule of the portal", name),
			Error:   "INVALID_PROPERTY_VALUE", Name: name,
		})
	}
	return out
}

// SetRejectWrites makes writes to these contacts fail with a property
// validation error (replacing any earlier list; none to clear it). In a
// batch update that fails the whole batch, as HubSpot does.
func (s *Server) SetRejectWrites(ids ...hubspot.ContactID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rejects := make(map[int]bool, len(ids))
	for _, id := range ids {
		i, ok := s.p.contacts.indexOf(string(id))
		if !ok {
			return fmt.Errorf("the sandbox has no contact %s (list some with GET /crm/v3/objects/contacts)", id)
		}
		rejects[i] = true
	}
	s.p.contacts.rejects = rejects
	return nil
}

// MergeContacts merges contact away into survivor, as HubSpot's merge does:
// from then on, reads and writes of away's ID act on survivor and answer
// with survivor's ID, and survivor's hs_merged_object_ids lists away. The
// merged-away record still appears in lists and searches (not modelled).
func (s *Server) MergeContacts(away, survivor hubspot.ContactID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.p.contacts
	a, okA := cs.indexOf(string(away))
	b, okB := cs.indexOf(string(survivor))
	switch {
	case !okA || !okB:
		return fmt.Errorf("the sandbox cannot merge contact %s into %s: both must exist (list some with GET /crm/v3/objects/contacts)", away, survivor)
	case cs.resolve(b) == a || a == b:
		return fmt.Errorf("the sandbox cannot merge contact %s into itself", away)
	}
	if cs.merged == nil {
		cs.merged, cs.absorbed = map[int]int{}, map[int][]uint64{}
	}
	cs.merged[a] = b
	cs.absorbed[b] = append(cs.absorbed[b], cs.id(a))
	return nil
}

// SetMergedLeftOut makes batch updates leave merged-away inputs out of
// their results (the write still reaches the survivor), the other answer
// HubSpot gives for them.
func (s *Server) SetMergedLeftOut(leftOut bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p.contacts.mergedLeftOut = leftOut
}

// resolve follows merges from contact i to the record that holds it now.
func (cs *contactSet) resolve(i int) int {
	for range len(cs.merged) + 1 {
		next, ok := cs.merged[i]
		if !ok {
			return i
		}
		i = next
	}
	return i
}

// mergedIDs is survivor i's hs_merged_object_ids: the IDs merged into it,
// ";"-separated.
func (cs *contactSet) mergedIDs(i int) string {
	ids := cs.absorbed[i]
	parts := make([]string, len(ids))
	for k, id := range ids {
		parts[k] = strconv.FormatUint(id, 10)
	}
	return strings.Join(parts, ";")
}

// applyKnobs installs Config's RejectWrites and Merged on a new server.
func (s *Server) applyKnobs(cfg Config) error {
	if len(cfg.RejectWrites) > 0 {
		if err := s.SetRejectWrites(cfg.RejectWrites...); err != nil {
			return err
		}
	}
	aways := make([]string, 0, len(cfg.Merged))
	for a := range cfg.Merged {
		aways = append(aways, string(a))
	}
	slices.Sort(aways)
	for _, a := range aways {
		if err := s.MergeContacts(hubspot.ContactID(a), cfg.Merged[hubspot.ContactID(a)]); err != nil {
			return err
		}
	}
	return nil
}
