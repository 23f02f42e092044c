package hubspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// HubSpot has three ID schemes for people (user ID, owner ID, CRM user record ID)
// that are all numbers and are sometimes equal by coincidence. Each gets its own
// type so that passing one where another is expected is a compile error.
//
// IDs are kept as their decimal text: HubSpot sends most of them as JSON strings,
// some as JSON numbers (owner userId), and CRM record IDs can exceed int53. The
// JSON decoding below accepts both forms and normalises them to the same text.

// UserID identifies a HubSpot user (Settings user `id`, owner `userId`, CRM user
// `hs_internal_user_id`).
type UserID string

// OwnerID identifies a CRM owner: the value that goes into `hubspot_owner_id`.
type OwnerID string

// CRMUserID identifies a CRM user record (object type 0-115). It is not a user ID.
type CRMUserID string

// RoleID identifies a permission set ("role").
type RoleID string

// TeamID identifies a team.
type TeamID string

// ContactID identifies a contact record.
type ContactID string

func (id UserID) String() string    { return string(id) }
func (id OwnerID) String() string   { return string(id) }
func (id CRMUserID) String() string { return string(id) }
func (id RoleID) String() string    { return string(id) }
func (id TeamID) String() string    { return string(id) }
func (id ContactID) String() string { return string(id) }

func (id *UserID) UnmarshalJSON(b []byte) error    { return decodeID(b, (*string)(id)) }
func (id *OwnerID) UnmarshalJSON(b []byte) error   { return decodeID(b, (*string)(id)) }
func (id *CRMUserID) UnmarshalJSON(b []byte) error { return decodeID(b, (*string)(id)) }
func (id *RoleID) UnmarshalJSON(b []byte) error    { return decodeID(b, (*string)(id)) }
func (id *TeamID) UnmarshalJSON(b []byte) error    { return decodeID(b, (*string)(id)) }
func (id *ContactID) UnmarshalJSON(b []byte) error { return decodeID(b, (*string)(id)) }

// decodeID accepts a JSON string, a JSON integer or null (which leaves the ID empty).
func decodeID(b []byte, dst *string) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*dst = ""
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, dst)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			// The value is not quoted: a misbehaving server could put anything there.
			return fmt.Errorf("hubspot: an ID must be a JSON string or integer, not %s", jsonKind(b))
		}
		// Integers only; "1.0" or "1e3" are not IDs.
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			if _, uerr := strconv.ParseUint(n.String(), 10, 64); uerr != nil {
				return fmt.Errorf("hubspot: an ID must be an integer, not a %d-character number", len(b))
			}
		}
		*dst = n.String()
		return nil
	}
}

// jsonKind names the kind of a JSON value by its first byte.
func jsonKind(b []byte) string {
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "malformed JSON"
}

// IsNumeric reports whether s is a non-empty run of ASCII digits, the only form
// HubSpot accepts for the numeric IDs above.
func IsNumeric(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
