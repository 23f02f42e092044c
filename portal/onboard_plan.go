package portal

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// KindOnboard is the journal's job kind of user creation: one item a person.
const KindOnboard = "onboard"

// NewUser is one person to create, as the admin asked: the flags of
// `hsadmin user create`, a row of its CSV, or the console's form. Roles,
// teams and seats are names (or IDs) still to be looked up.
type NewUser struct {
	Line             int      `json:"line,omitempty"` // the CSV line; 0 when not from a file
	Email            string   `json:"email"`
	First            string   `json:"first"`
	Last             string   `json:"last"`
	Roles            []string `json:"roles,omitempty"`
	Team             string   `json:"team,omitempty"`
	SecondaryTeams   []string `json:"secondaryTeams,omitempty"`
	Seats            []string `json:"seats,omitempty"`
	SendWelcomeEmail bool     `json:"sendWelcomeEmail"`
	// Problems found reading the row (a CSV cell that is not a yes or no).
	Problems []string `json:"problems,omitempty"`
}

// OnboardRow is one person of a plan: what HubSpot will be sent, what is
// left for HubSpot's settings, and what is wrong with the row.
type OnboardRow struct {
	Line      int    `json:"line,omitempty"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// Role is the one role HubSpot's API sets; nil for none (minimal
	// permissions).
	Role *RoleRef `json:"role,omitempty"`
	// ChecklistRoles are the further roles asked for: HubSpot's API sets one
	// role, so they go on the restore checklist to add in HubSpot's settings.
	ChecklistRoles   []RoleRef `json:"checklistRoles,omitempty"`
	PrimaryTeam      *TeamRef  `json:"primaryTeam,omitempty"`
	SecondaryTeams   []TeamRef `json:"secondaryTeams,omitempty"`
	Seats            []string  `json:"seats,omitempty"`
	SendWelcomeEmail bool      `json:"sendWelcomeEmail"`
	// Problems say why the row cannot be sent; none when it can.
	Problems []string `json:"problems,omitempty"`
	// fields names the field each problem is about (Field… constants).
	fields []string
}

// The fields of a person, as CheckNewUser names them.
const (
	FieldEmail     = "email"
	FieldFirst     = "first"
	FieldLast      = "last"
	FieldRole      = "role"
	FieldTeam      = "team"
	FieldSecondary = "secondary-team"
	FieldSeat      = "seat"
	FieldRow       = "row" // about the row as a whole
)

// CheckNewUser checks one person against the portal's roles and teams,
// without the mirror's users or HubSpot's seats: the console's form shows
// it as the admin types. It returns the first problem of each field.
func CheckNewUser(names Names, nu NewUser) map[string]string {
	in := onboardInputs{names: names, billing: true, existing: func(string) (store.UserRow, bool) { return store.UserRow{}, false }}
	r := in.row(nu)
	out := map[string]string{}
	for i, p := range r.Problems {
		if _, seen := out[r.fields[i]]; !seen {
			out[r.fields[i]] = p
		}
	}
	return out
}

func (r *OnboardRow) add(field, problem string) {
	r.Problems = append(r.Problems, problem)
	r.fields = append(r.fields, field)
}

// OK reports whether the row can be sent.
func (r OnboardRow) OK() bool { return len(r.Problems) == 0 }

// Name is the person's name, or their email.
func (r OnboardRow) Name() string {
	if n := strings.TrimSpace(r.FirstName + " " + r.LastName); n != "" {
		return n
	}
	return r.Email
}

// Provision is the POST body of the row.
func (r OnboardRow) Provision() hubspot.UserProvision {
	in := hubspot.UserProvision{
		Email: r.Email, FirstName: r.FirstName, LastName: r.LastName,
		SeatNames: slices.Clone(r.Seats), SendWelcomeEmail: r.SendWelcomeEmail,
	}
	if r.Role != nil {
		in.RoleID = r.Role.ID
	}
	if r.PrimaryTeam != nil {
		in.PrimaryTeamID = r.PrimaryTeam.ID
	}
	for _, t := range r.SecondaryTeams {
		in.SecondaryTeamIDs = append(in.SecondaryTeamIDs, t.ID)
	}
	return in
}

// OnboardPlan is who will be created with what, and which rows are wrong
// and why, before anything is sent.
type OnboardPlan struct {
	HubID   int64        `json:"hubId"`
	BaseURL string       `json:"baseUrl,omitempty"`
	Sandbox bool         `json:"sandbox,omitempty"`
	Source  string       `json:"source,omitempty"` // the CSV file, "" for one person
	Rows    []OnboardRow `json:"rows"`
	// Seats are the portal's seats as HubSpot listed them when planning;
	// SeatNote says why they could not be read ("" when they were).
	Seats    []hubspot.Seat `json:"seats,omitempty"`
	SeatNote string         `json:"seatNote,omitempty"`
	Summary  string         `json:"summary"`
}

// Sendable lists the rows that can be sent.
func (pl OnboardPlan) Sendable() []OnboardRow {
	var out []OnboardRow
	for _, r := range pl.Rows {
		if r.OK() {
			out = append(out, r)
		}
	}
	return out
}

// WrongCount is how many rows cannot be sent.
func (pl OnboardPlan) WrongCount() int { return len(pl.Rows) - len(pl.Sendable()) }

// UsersLink is the users page of the portal in HubSpot's settings.
func (pl OnboardPlan) UsersLink() string {
	return strings.TrimSuffix(UserSettingsLink(pl.HubID, pl.BaseURL, pl.Sandbox, ""), "/user/")
}

// onboardInputs is what planning reads besides the rows: the mirror's roles,
// teams and users by email, the live seats, and whether the token may
// write billing.
type onboardInputs struct {
	names    Names
	existing func(email string) (store.UserRow, bool)
	seats    []hubspot.Seat // nil when unknown
	seatNote string
	billing  bool // the token may assign seats and paid-seat roles
}

// PlanOnboard plans creating people: every row is checked against the
// mirror (roles, teams, who already has a user) and against HubSpot's seat
// counts, read now. It sends no writes.
func (p *Portal) PlanOnboard(ctx context.Context, source string, people []NewUser) (OnboardPlan, error) {
	if len(people) == 0 {
		return OnboardPlan{}, fmt.Errorf("nobody to create")
	}
	names, err := p.ChangeNames(ctx)
	if err != nil {
		return OnboardPlan{}, err
	}
	in := onboardInputs{names: names, billing: p.info.MissingScope(hubspot.ScopeBillingWrite) == ""}
	in.existing = func(email string) (store.UserRow, bool) {
		u, err := p.FindUser(ctx, email)
		return u, err == nil
	}
	seats, err := p.client.Seats(ctx)
	switch scopes, missing := hubspot.MissingScopes(err); {
	case err == nil:
		in.seats = seats
		if in.seats == nil {
			in.seats = []hubspot.Seat{}
		}
	case missing && slices.Contains(scopes, hubspot.ScopeBillingWrite), !in.billing:
		in.billing = false
		in.seatNote = "the token lacks the " + hubspot.ScopeBillingWrite + " scope: seats and roles that carry a paid seat cannot be given (add the scope to the app and re-authorize)"
	default:
		in.seatNote = "HubSpot's seats could not be read (" + err.Error() + "): rows asking for a seat cannot be checked"
	}
	return planOnboard(p.info, source, people, in), nil
}

// planOnboard is the pure part of PlanOnboard.
func planOnboard(info Info, source string, people []NewUser, in onboardInputs) OnboardPlan {
	pl := OnboardPlan{HubID: info.HubID, BaseURL: info.BaseURL, Sandbox: info.Sandbox, Source: source,
		Seats: in.seats, SeatNote: in.seatNote}
	firstLine := map[string]int{} // lower-cased email → the first row asking for it
	left := map[string]int{}      // seat name → seats not yet taken by earlier rows
	for _, s := range in.seats {
		left[s.Name] = s.Remaining
	}
	for i, nu := range people {
		r := in.row(nu)
		key := strings.ToLower(r.Email)
		if first, dup := firstLine[key]; dup && key != "" {
			r.add(FieldEmail, "duplicate email: the same as "+rowName(first))
		} else if key != "" {
			firstLine[key] = lineOr(nu.Line, i)
		}
		// A wrong row is told about seats too, but takes none.
		for _, p := range in.takeSeats(r.Seats, left, r.OK()) {
			r.add(FieldSeat, p)
		}
		pl.Rows = append(pl.Rows, r)
	}
	pl.Summary = pl.summary()
	return pl
}

// lineOr is the row's CSV line, or its position among people given otherwise.
func lineOr(line, i int) int {
	if line > 0 {
		return line
	}
	return -(i + 1)
}

func rowName(line int) string {
	if line < 0 {
		return fmt.Sprintf("person %d", -line)
	}
	return fmt.Sprintf("line %d", line)
}

// row resolves one person against the portal.
func (in onboardInputs) row(nu NewUser) OnboardRow {
	r := OnboardRow{
		Line: nu.Line, Email: strings.TrimSpace(nu.Email),
		FirstName: strings.TrimSpace(nu.First), LastName: strings.TrimSpace(nu.Last),
		SendWelcomeEmail: nu.SendWelcomeEmail,
	}
	bad := func(field, format string, args ...any) { r.add(field, fmt.Sprintf(format, args...)) }
	for _, p := range nu.Problems {
		bad(FieldRow, "%s", p)
	}
	switch {
	case r.Email == "":
		bad(FieldEmail, "no email")
	case !plausibleEmail(r.Email):
		bad(FieldEmail, "bad email %q: not an email address", r.Email)
	default:
		if u, ok := in.existing(r.Email); ok {
			bad(FieldEmail, "already in the portal: %s is user %s", u.Name, u.UserID)
		}
	}
	if r.FirstName == "" {
		bad(FieldFirst, "no first name")
	}
	if r.LastName == "" {
		bad(FieldLast, "no last name")
	}
	for _, name := range nonEmpty(nu.Roles) {
		role, msg := in.findRole(name)
		switch {
		case msg != "":
			bad(FieldRole, "%s", msg)
		case r.Role == nil:
			r.Role = &role
		case role.ID != r.Role.ID && !slices.ContainsFunc(r.ChecklistRoles, func(x RoleRef) bool { return x.ID == role.ID }):
			r.ChecklistRoles = append(r.ChecklistRoles, role)
		}
	}
	if team := strings.TrimSpace(nu.Team); team != "" {
		if t, msg := in.findTeam(team); msg != "" {
			bad(FieldTeam, "%s", msg)
		} else {
			r.PrimaryTeam = &t
		}
	}
	for _, name := range nonEmpty(nu.SecondaryTeams) {
		t, msg := in.findTeam(name)
		switch {
		case msg != "":
			bad(FieldSecondary, "%s", msg)
		case r.PrimaryTeam != nil && t.ID == r.PrimaryTeam.ID:
		case !slices.ContainsFunc(r.SecondaryTeams, func(x TeamRef) bool { return x.ID == t.ID }):
			r.SecondaryTeams = append(r.SecondaryTeams, t)
		}
	}
	for _, name := range nonEmpty(nu.Seats) {
		seat, msg := in.findSeat(name)
		switch {
		case msg != "":
			bad(FieldSeat, "%s", msg)
		case !slices.Contains(r.Seats, seat):
			r.Seats = append(r.Seats, seat)
		}
	}
	if !in.billing {
		if r.Role != nil && in.paid(r.Role.ID) {
			bad(FieldRole, "role %s carries a paid seat: the token lacks the %s scope", r.Role.Name, hubspot.ScopeBillingWrite)
		}
		if len(r.Seats) > 0 {
			bad(FieldSeat, "seats need the %s scope, which the token lacks", hubspot.ScopeBillingWrite)
		}
	}
	return r
}

func (in onboardInputs) paid(id hubspot.RoleID) bool {
	return slices.ContainsFunc(in.names.Roles, func(r hubspot.Role) bool { return r.ID == id && r.RequiresBillingWrite })
}

func (in onboardInputs) findRole(name string) (RoleRef, string) {
	id, err := in.names.FindRole(name)
	if err != nil {
		var all []string
		for _, r := range in.names.Roles {
			all = append(all, r.Name)
		}
		return RoleRef{}, unknownName("role", name, all, err)
	}
	ref := RoleRef{ID: id}
	for _, r := range in.names.Roles {
		if r.ID == id {
			ref.Name = r.Name
		}
	}
	return ref, ""
}

func (in onboardInputs) findTeam(name string) (TeamRef, string) {
	id, err := in.names.FindTeam(name)
	if err != nil {
		var all []string
		for _, t := range in.names.Teams {
			all = append(all, t.Name)
		}
		return TeamRef{}, unknownName("team", name, all, err)
	}
	for _, t := range in.names.Teams {
		if t.ID == id {
			return t, ""
		}
	}
	return TeamRef{ID: id, Name: string(id)}, ""
}

// findSeat finds a seat by name (case-insensitive) among HubSpot's seats;
// with the seats unknown the name is taken as given and the row is refused
// later for the missing check.
func (in onboardInputs) findSeat(name string) (string, string) {
	if in.seats == nil {
		return strings.TrimSpace(name), ""
	}
	var all []string
	for _, s := range in.seats {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s.Name, ""
		}
		all = append(all, s.Name)
	}
	return "", fmt.Sprintf("unknown seat %q%s", strings.TrimSpace(name), didYouMean(name, all))
}

// takeSeats says which of seats are used up, and when none is and take,
// takes one of each from left.
func (in onboardInputs) takeSeats(seats []string, left map[string]int, take bool) []string {
	if len(seats) == 0 || !in.billing {
		return nil
	}
	if in.seats == nil {
		return []string{"seats cannot be checked: " + in.seatNote}
	}
	var problems []string
	for _, s := range seats {
		if left[s] <= 0 {
			problems = append(problems, fmt.Sprintf("no %s seat left (%s)", s, in.seatsLeftText(s)))
		}
	}
	if len(problems) > 0 || !take {
		return problems
	}
	for _, s := range seats {
		left[s]--
	}
	return nil
}

func (in onboardInputs) seatsLeftText(name string) string {
	for _, s := range in.seats {
		if s.Name == name && s.Remaining > 0 {
			return fmt.Sprintf("%d remaining, taken by earlier rows; free one or buy more", s.Remaining)
		}
	}
	return "none remaining in HubSpot; free one or buy more"
}

// unknownName is a lookup failure with the nearest name, when one is near.
func unknownName(noun, name string, all []string, err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "there is no ") {
		msg = fmt.Sprintf("unknown %s %q", noun, strings.TrimSpace(name))
	}
	return msg + didYouMean(name, all)
}

// didYouMean names the candidate nearest to typed, or "" when none is near:
// one containing it, or within a few typing mistakes.
func didYouMean(typed string, candidates []string) string {
	want := strings.ToLower(strings.TrimSpace(typed))
	if want == "" {
		return ""
	}
	best, bestDist := "", len(want)/3+2
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(want, lc)
		if strings.Contains(lc, want) || strings.Contains(want, lc) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// plausibleEmail is one bare address with a dotted domain: what HubSpot can
// send a welcome email to.
func plausibleEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (pl OnboardPlan) summary() string {
	ok := pl.Sendable()
	var names []string
	for _, r := range ok {
		names = append(names, r.Name())
	}
	s := "Create " + Plural(len(ok), "user")
	if len(ok) > 0 {
		s = "Create " + namedCount(names, "user")
	}
	if n := pl.WrongCount(); n > 0 {
		s += fmt.Sprintf(" (%s wrong, not sent)", Plural(n, "row"))
	}
	return s
}

// Lines are the plan as the commands print it: each person with what they
// get, the roles left for HubSpot's settings, and each wrong row with why.
func (pl OnboardPlan) Lines() []string {
	lines := []string{pl.Summary + ":"}
	for _, r := range pl.Rows {
		lines = append(lines, pl.rowLines(r)...)
	}
	if pl.SeatNote != "" && pl.asksForSeats() {
		lines = append(lines, "Seats: "+pl.SeatNote+".")
	}
	if pl.checklistCount() > 0 {
		n := pl.checklistCount()
		verb := "go"
		if n == 1 {
			verb = "goes"
		}
		lines = append(lines, fmt.Sprintf("HubSpot's API sets one role a user: %s %s on the restore checklist (:restore in the console, hsadmin restore list), to add in HubSpot's settings (%s) once the users exist.",
			Plural(n, "further role"), verb, pl.UsersLink()))
	}
	return lines
}

// asksForSeats reports whether a row asks for a seat or a role that
// carries one: only then does the seat note concern the plan.
func (pl OnboardPlan) asksForSeats() bool {
	for _, r := range pl.Rows {
		if len(r.Seats) > 0 || slices.Contains(r.fields, FieldSeat) || slices.ContainsFunc(r.Problems, func(p string) bool { return strings.Contains(p, "carries a paid seat") }) {
			return true
		}
	}
	return false
}

func (pl OnboardPlan) checklistCount() int {
	n := 0
	for _, r := range pl.Sendable() {
		n += len(r.ChecklistRoles)
	}
	return n
}

func (pl OnboardPlan) rowLines(r OnboardRow) []string {
	where := ""
	if r.Line > 0 {
		where = fmt.Sprintf("line %d: ", r.Line)
	}
	if !r.OK() {
		return []string{fmt.Sprintf("  ✗ %s%s: %s", where, r.Email, strings.Join(r.Problems, "; "))}
	}
	lines := []string{fmt.Sprintf("  + %s%s <%s>: %s", where, r.Name(), r.Email, r.Describe())}
	if len(r.ChecklistRoles) > 0 {
		var names []string
		for _, ro := range r.ChecklistRoles {
			names = append(names, ro.Name)
		}
		lines = append(lines, fmt.Sprintf("      the API sets role %s; add %s in HubSpot's settings afterwards (restore checklist)", r.Role.Name, joinAnd(names)))
	}
	return lines
}

// Describe says what the row gives the new user.
func (r OnboardRow) Describe() string {
	var parts []string
	if r.Role != nil {
		parts = append(parts, "role "+r.Role.Name)
	} else {
		parts = append(parts, "no role (minimal permissions)")
	}
	if r.PrimaryTeam != nil {
		parts = append(parts, "team "+r.PrimaryTeam.Name)
	}
	if len(r.SecondaryTeams) > 0 {
		var names []string
		for _, t := range r.SecondaryTeams {
			names = append(names, t.Name)
		}
		parts = append(parts, "secondary "+joinAnd(names))
	}
	if len(r.Seats) > 0 {
		parts = append(parts, "seat "+joinAnd(r.Seats))
	}
	if r.SendWelcomeEmail {
		parts = append(parts, "welcome email")
	}
	return strings.Join(parts, ", ")
}
