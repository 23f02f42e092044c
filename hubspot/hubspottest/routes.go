package hubspottest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// call is one authenticated request being handled.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	params []string // path wildcards, in order
	query  url.Values
	tok    *token // nil on endpoints without auth
}

func (c *call) json(status int, v any)         { writeJSON(c.w, status, v) }
func (c *call) fail(status int, e apiError)    { writeError(c.w, status, e) }
func (c *call) invalid(msg string)             { c.fail(http.StatusBadRequest, validationError(msg)) }
func (c *call) notFound()                      { c.fail(http.StatusNotFound, notFound()) }
func (c *call) decode(v any) bool              { return decodeBody(c.w, c.body, v) }
func (c *call) param(i int) string             { return c.params[i] }
func (c *call) queryBool(name string) bool     { return strings.EqualFold(c.query.Get(name), "true") }
func (c *call) hasScope(scope string) bool     { return c.tok != nil && c.tok.scopes[scope] }
func (c *call) link(after string) string       { return c.r.URL.Path + "?after=" + url.QueryEscape(after) }
func (c *call) queryList(name string) []string { return splitList(c.query[name]) }

// limit reads the `limit` query parameter: def when absent, clamped to max,
// false (after answering 400) when it is not an integer.
func (c *call) limit(def, ceiling int) (int, bool) {
	raw := c.query.Get("limit")
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		c.invalid("Unable to parse limit value " + raw + " as an integer.")
		return 0, false
	}
	if n < 1 {
		n = def
	}
	return min(n, ceiling), true
}

// splitList flattens repeated and comma-separated query values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

type authKind int

const (
	authNone authKind = iota
	authBearer
)

// endpoint is a routed operation. scopes are alternatives: any one suffices.
type endpoint struct {
	auth   authKind
	scopes []string
	search bool // rate-limited as search: 5/s per portal, no headers
	handle func(*call)
}

type routeEntry struct {
	method  string
	pattern []string // "*" captures one segment
	ep      endpoint
}

var (
	scopesUsersRead     = []string{scopeSettingsUsersRead, scopeCRMUsersRead}
	scopesUsersWrite    = []string{scopeSettingsUsersWrite, scopeCRMUsersWrite}
	scopesTeamsRead     = []string{scopeTeamsRead}
	scopesTeamsWrite    = []string{scopeTeamsWrite}
	scopesOwnersRead    = []string{scopeOwnersRead}
	scopesContactsRead  = []string{scopeContactsRead}
	scopesContactsWrite = []string{scopeContactsWrite}
	scopesCRMUsersRead  = []string{scopeCRMUsersRead}
	scopesBillingWrite  = []string{scopeBillingWrite}
)

func bearer(scopes []string, h func(*call)) endpoint {
	return endpoint{auth: authBearer, scopes: scopes, handle: h}
}

func searchEndpoint(scopes []string, h func(*call)) endpoint {
	return endpoint{auth: authBearer, scopes: scopes, search: true, handle: h}
}

func public(h func(*call)) endpoint { return endpoint{auth: authNone, handle: h} }

const teamsBeta = "settings/teams/2026-09-beta"

func pat(p string) []string { return strings.Split(p, "/") }

var routes = []routeEntry{
	{"GET", pat("settings/v3/users"), bearer(scopesUsersRead, (*call).listUsers)},
	{"POST", pat("settings/v3/users"), bearer(scopesUsersWrite, (*call).createUser)},
	{"GET", pat("settings/users/2026-09-beta/seats"), bearer(scopesBillingWrite, (*call).listSeats)},
	{"GET", pat("settings/v3/users/roles"), bearer(scopesUsersRead, (*call).listRoles)},
	{"GET", pat("settings/v3/users/teams"), bearer(scopesTeamsRead, (*call).listTeamsV3)},
	{"GET", pat("settings/v3/users/*"), bearer(scopesUsersRead, (*call).getUser)},
	{"PUT", pat("settings/v3/users/*"), bearer(scopesUsersWrite, (*call).putUser)},
	{"DELETE", pat("settings/v3/users/*"), bearer(scopesUsersWrite, (*call).deleteUser)},

	{"GET", pat(teamsBeta), bearer(scopesTeamsRead, (*call).listTeamsBeta)},
	{"GET", pat(teamsBeta + "/*"), bearer(scopesTeamsRead, (*call).getTeamBeta)},
	{"GET", pat(teamsBeta + "/*/members"), bearer(scopesTeamsRead, (*call).listTeamMembers)},
	{"POST", pat(teamsBeta + "/*/members"), bearer(scopesTeamsWrite, (*call).addTeamMember)},
	{"DELETE", pat(teamsBeta + "/*/members/*"), bearer(scopesTeamsWrite, (*call).removeTeamMember)},

	{"GET", pat("crm/v3/owners"), bearer(scopesOwnersRead, (*call).listOwners)},
	{"GET", pat("crm/v3/owners/*"), bearer(scopesOwnersRead, (*call).getOwner)},

	{"GET", pat("crm/v3/objects/contacts"), bearer(scopesContactsRead, (*call).listContacts)},
	{"POST", pat("crm/v3/objects/contacts/batch/read"), bearer(scopesContactsRead, (*call).batchReadContacts)},
	{"POST", pat("crm/v3/objects/contacts/batch/update"), bearer(scopesContactsWrite, (*call).batchUpdateContacts)},
	{"POST", pat("crm/v3/objects/contacts/search"), searchEndpoint(scopesContactsRead, (*call).searchContacts)},
	{"GET", pat("crm/v3/objects/contacts/*"), bearer(scopesContactsRead, (*call).getContact)},
	{"PATCH", pat("crm/v3/objects/contacts/*"), bearer(scopesContactsWrite, (*call).patchContact)},

	{"GET", pat("crm/v3/objects/users"), bearer(scopesCRMUsersRead, (*call).listCRMUsers)},
	{"POST", pat("crm/v3/objects/users/search"), searchEndpoint(scopesCRMUsersRead, (*call).searchCRMUsers)},
	{"GET", pat("crm/v3/objects/users/*"), bearer(scopesCRMUsersRead, (*call).getCRMUser)},

	{"POST", pat("oauth/v1/token"), public((*call).oauthToken)},
	{"GET", pat("oauth/v1/access-tokens/*"), public((*call).accessTokenInfo)},
	{"POST", pat("oauth/v2/private-apps/get/access-token-info"), public((*call).privateAppTokenInfo)},
	{"GET", pat("oauth/v1/refresh-tokens/*"), public((*call).refreshTokenInfo)},
	{"DELETE", pat("oauth/v1/refresh-tokens/*"), public((*call).revokeRefreshToken)},
	{"GET", pat("oauth/authorize"), public((*call).authorize)},
	{"GET", pat("oauth/*/authorize"), public((*call).authorize)},
}

// pathAliases map HubSpot's other spellings of the same endpoints (the HEAD
// v3 spec's /settings/users/v3, dated versions, object type IDs) onto the
// classic paths above.
var pathAliases = []struct{ from, to string }{
	{"settings/users/v3", "settings/v3/users"},
	{"crm/owners/2026-03", "crm/v3/owners"},
	{"crm/objects/2026-03", "crm/v3/objects"},
	{"crm/v3/objects/0-1", "crm/v3/objects/contacts"},
	{"crm/v3/objects/0-115", "crm/v3/objects/users"},
}

// route finds the endpoint for method and path; status is 0 on a match, or
// 404/405. Trailing slashes are ignored, as HubSpot does.
func (s *Server) route(method, path string) (endpoint, []string, int) {
	p := strings.Trim(path, "/")
	for _, a := range pathAliases {
		if p == a.from || strings.HasPrefix(p, a.from+"/") {
			p = a.to + p[len(a.from):]
		}
	}
	segs := strings.Split(p, "/")
	status := http.StatusNotFound
	for _, rt := range routes {
		params, ok := matchPattern(rt.pattern, segs)
		if !ok {
			continue
		}
		if rt.method != method {
			status = http.StatusMethodNotAllowed
			continue
		}
		return rt.ep, params, 0
	}
	return endpoint{}, nil, status
}

func matchPattern(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params []string
	for i, p := range pattern {
		switch {
		case p == "*":
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			params = append(params, v)
		case p != segs[i]:
			return nil, false
		}
	}
	return params, true
}
