package ui

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hsadmin/hsadmin/portal"
)

// Rows hold display copies of the backend's data: every text field is
// sanitized once here (see sanitize), not on each frame.

// row is one line of a list pane. key is its identity for marks and seeking;
// id and idKind are what `y` copies and `i` resolves.
type row interface {
	key() string
	id() string
	idKind() string
	// export returns the cells under the pane's exportHeader.
	export() []string
}

type userItem struct{ portal.UserRow }
type ownerItem struct{ portal.OwnerRow }
type contactItem struct{ portal.ContactRow }

// findingItem is a finding's header line (rec < 0) or one of its records.
type findingItem struct {
	f   *portal.Finding
	fi  int
	rec int
}

type callItem struct {
	APICall
	n int
}

func (u userItem) key() string    { return string(u.UserID) }
func (u userItem) id() string     { return string(u.UserID) }
func (u userItem) idKind() string { return "user ID" }
func (u userItem) export() []string {
	return []string{string(u.UserID), string(u.OwnerID), string(u.CRMUserID), u.Name, u.Email,
		joinRoles(u.RoleNames), u.PrimaryTeamName, strconv.Itoa(u.ContactCount)}
}

func (o ownerItem) key() string    { return string(o.OwnerID) }
func (o ownerItem) id() string     { return string(o.OwnerID) }
func (o ownerItem) idKind() string { return "owner ID" }
func (o ownerItem) export() []string {
	return []string{string(o.OwnerID), string(o.UserID), string(o.UserIDIncludingInactive), o.Name, o.Email,
		string(o.Type), strconv.FormatBool(o.Archived), strconv.Itoa(o.ContactCount)}
}

func (c contactItem) key() string    { return string(c.ContactID) }
func (c contactItem) id() string     { return string(c.ContactID) }
func (c contactItem) idKind() string { return "contact ID" }
func (c contactItem) export() []string {
	mod := ""
	if !c.LastModified.IsZero() {
		mod = c.LastModified.UTC().Format(time.RFC3339)
	}
	return []string{string(c.ContactID), c.Name, c.Email, string(c.OwnerID), c.OwnerName, string(c.OwnerState), mod}
}

func (f findingItem) record() *portal.FindingRecord {
	if f.rec < 0 || f.rec >= len(f.f.Records) {
		return nil
	}
	return &f.f.Records[f.rec]
}

func (f findingItem) key() string { return fmt.Sprintf("%d/%d", f.fi, f.rec) }
func (f findingItem) id() string {
	r := f.record()
	switch {
	case r == nil:
		return ""
	case r.UserID != "":
		return string(r.UserID)
	case r.OwnerID != "":
		return string(r.OwnerID)
	case r.ContactID != "":
		return string(r.ContactID)
	}
	return string(r.CRMUserID)
}
func (f findingItem) idKind() string {
	r := f.record()
	switch {
	case r == nil:
		return ""
	case r.UserID != "":
		return "user ID"
	case r.OwnerID != "":
		return "owner ID"
	case r.ContactID != "":
		return "contact ID"
	}
	return "CRM user record ID"
}
func (f findingItem) export() []string {
	r := f.record()
	if r == nil {
		return []string{f.f.Kind, f.f.Title, strconv.Itoa(f.f.Count), "", "", "", "", ""}
	}
	return []string{f.f.Kind, f.f.Title, strconv.Itoa(f.f.Count), r.Label, string(r.UserID), string(r.OwnerID), string(r.ContactID), string(r.CRMUserID)}
}

func (c callItem) key() string    { return strconv.Itoa(c.n) }
func (c callItem) id() string     { return "" }
func (c callItem) idKind() string { return "" }
func (c callItem) export() []string {
	return []string{c.Time.UTC().Format(time.RFC3339Nano), c.Method, c.Path, strconv.Itoa(c.Status),
		strconv.FormatInt(c.Latency.Milliseconds(), 10), strconv.Itoa(c.RateRemaining)}
}

func joinRoles(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "; "
		}
		out += n
	}
	return out
}

func userRows(in []portal.UserRow) []row {
	out := make([]row, len(in))
	for i, u := range in {
		u.Name, u.Email, u.PrimaryTeamName = sanitize(u.Name), sanitize(u.Email), sanitize(u.PrimaryTeamName)
		u.RoleNames = sanitizeAll(u.RoleNames)
		out[i] = userItem{u}
	}
	return out
}

func ownerRows(in []portal.OwnerRow) []row {
	out := make([]row, len(in))
	for i, o := range in {
		o.Name, o.Email, o.PrimaryTeamName = sanitize(o.Name), sanitize(o.Email), sanitize(o.PrimaryTeamName)
		out[i] = ownerItem{o}
	}
	return out
}

func contactRows(in []portal.ContactRow) []row {
	out := make([]row, len(in))
	for i, c := range in {
		c.Name, c.Email, c.OwnerName = sanitize(c.Name), sanitize(c.Email), sanitize(c.OwnerName)
		out[i] = contactItem{c}
	}
	return out
}

func findingRows(in []portal.Finding) []row {
	var out []row
	fs := make([]portal.Finding, len(in))
	for i := range in {
		fs[i] = sanitizeFinding(in[i])
	}
	for i := range fs {
		out = append(out, findingItem{f: &fs[i], fi: i, rec: -1})
		for r := range fs[i].Records {
			out = append(out, findingItem{f: &fs[i], fi: i, rec: r})
		}
	}
	return out
}

func callRows(calls []APICall) []row {
	// newest first: the admin looks for what just happened
	out := make([]row, len(calls))
	for i, c := range calls {
		c.Method, c.Path = sanitize(c.Method), sanitize(redactPath(c.Path))
		out[len(calls)-1-i] = callItem{APICall: c, n: i}
	}
	return out
}
