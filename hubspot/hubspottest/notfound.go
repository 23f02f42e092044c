package hubspottest

import (
	"net/http"
	"strconv"
)

// HubSpot's 404s differ by case (real-portal-differences row 6):
//   - an object ID that is not a number: "Object not found.  objectId are
//     usually numeric." (two spaces, as captured) with context.id;
//   - a numeric ID that does not exist: "resource not found";
//   - a path no API serves: an HTML page, not a JSON envelope.
const msgNotNumeric = "Object not found.  objectId are usually numeric."

// unknownRoutePage is what HubSpot's front end serves for a path no API
// answers: a web page, whatever the client asked for.
const unknownRoutePage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Page not found | HubSpot</title></head>
<body>
<h1>404</h1>
<p>This page isn't available. The link you followed may be broken, or the page may have been removed.</p>
</body>
</html>
`

// objectNotFound answers a CRM object lookup by ID (idProperty absent or the
// record ID) or by another unique property that found nothing.
func (c *call) objectNotFound(idProperty string) {
	id := c.param(0)
	if byRecordID(idProperty) && !isNumeric(id) {
		c.fail(http.StatusNotFound, apiError{Category: "OBJECT_NOT_FOUND", Message: msgNotNumeric,
			Context: map[string][]string{"id": {id}}})
		return
	}
	c.notFound()
}

func byRecordID(idProperty string) bool { return idProperty == "" || idProperty == "hs_object_id" }

func isNumeric(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// writeUnknownRoute answers a path no endpoint serves.
func writeUnknownRoute(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(unknownRoutePage)))
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(unknownRoutePage))
}
