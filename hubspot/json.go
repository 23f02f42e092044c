package hubspot

import "encoding/json"

// jsonUnmarshal is the single place the package decodes JSON, so that a later
// switch to a faster decoder touches one line.
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
