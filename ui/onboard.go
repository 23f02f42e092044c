package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// Onboarder is optionally implemented by a Backend that can create users;
// *portal.Portal does. Without it the users pane offers no N.
type Onboarder interface {
	ChangeNames(ctx context.Context) (portal.Names, error)
	PlanOnboard(ctx context.Context, source string, people []portal.NewUser) (portal.OnboardPlan, error)
	StartOnboard(ctx context.Context, plan portal.OnboardPlan, progress func(portal.OnboardRowResult)) (portal.OnboardResult, error)
}

func (m *model) onboarder() Onboarder {
	o, _ := m.b.(Onboarder)
	return o
}

// onboardStage is where the form is: fill → plan → create → result.
type onboardStage int

const (
	obFill onboardStage = iota
	obPlanning
	obPlan // the plan, waiting for a yes
	obCreating
	obResult
)

// formField is one field of the new-user form.
type formField struct {
	key   string // a portal.Field… name, or "welcome"
	label string
	hint  string // shown beside an empty field
	value string
}

const fieldWelcome = "welcome"

// onboardForm is the N overlay: a form for one new user, its plan, and the
// result of the job that created them.
type onboardForm struct {
	stage  onboardStage
	fields []formField
	at     int // the field being edited
	names  portal.Names
	loaded bool
	tried  bool // enter was pressed once: show every field's problem
	plan   portal.OnboardPlan
	result portal.OnboardResult
	err    string
}

func newOnboardForm() *onboardForm {
	return &onboardForm{fields: []formField{
		{key: portal.FieldEmail, label: "email"},
		{key: portal.FieldFirst, label: "first name"},
		{key: portal.FieldLast, label: "last name"},
		{key: portal.FieldRole, label: "role", hint: "a name; several with ; (the first is set, the others go on the restore checklist)"},
		{key: portal.FieldTeam, label: "team", hint: "the primary team"},
		{key: portal.FieldSecondary, label: "other teams", hint: "secondary teams, separated by ;"},
		{key: portal.FieldSeat, label: "seats", hint: "paid seats, separated by ; (need settings.billing.write)"},
		{key: fieldWelcome, label: "welcome email", value: "no"},
	}}
}

type onboardNamesMsg struct {
	form  *onboardForm
	names portal.Names
	err   error
}

type onboardPlanMsg struct {
	form *onboardForm
	plan portal.OnboardPlan
	err  error
}

type onboardDoneMsg struct {
	form *onboardForm
	res  portal.OnboardResult
	err  error
}

// startOnboard opens the form and loads the roles and teams it checks
// names against.
func (m *model) startOnboard() tea.Cmd {
	f := newOnboardForm()
	m.openOverlay(f)
	ob, ctx := m.onboarder(), m.ctx
	return func() tea.Msg {
		names, err := ob.ChangeNames(ctx)
		return onboardNamesMsg{form: f, names: names, err: err}
	}
}

// onboardOpen reports whether f is still on the overlay stack: answers for
// a form that was closed are dropped.
func (m *model) onboardOpen(f *onboardForm) bool { return slices.Contains(m.overlays, overlay(f)) }

// updateOnboard applies the form's backend answers; ok is false for other
// messages.
func (m *model) updateOnboard(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case onboardNamesMsg:
		if m.onboardOpen(msg.form) {
			msg.form.names, msg.form.loaded = msg.names, true
			if msg.err != nil {
				msg.form.err = "cannot list roles and teams: " + msg.err.Error()
			}
		}
		return nil, true
	case onboardPlanMsg:
		f := msg.form
		if !m.onboardOpen(f) {
			return nil, true
		}
		if msg.err != nil {
			f.stage, f.err = obFill, "cannot plan: "+msg.err.Error()
			return nil, true
		}
		f.stage, f.plan, f.err = obPlan, msg.plan, ""
		return nil, true
	case onboardDoneMsg:
		f := msg.form
		if !m.onboardOpen(f) {
			return nil, true
		}
		f.stage, f.result = obResult, msg.res
		if msg.err != nil {
			f.err = msg.err.Error()
			m.msg = "user not created: " + msg.err.Error()
		} else {
			m.msg = onboardSummary(msg.res)
		}
		// The mirror has the new user and their owner: redraw from it.
		return m.refreshAll(), true
	}
	return nil, false
}

func onboardSummary(res portal.OnboardResult) string {
	for _, r := range res.Rows {
		switch r.State {
		case portal.ItemDone:
			s := fmt.Sprintf("created %s (user %s, journal job %d)", r.Email, r.UserID, res.JobID)
			if n := len(r.ChecklistRoles); n > 0 {
				s += "; " + portal.Plural(n, "role") + " to add in HubSpot on the :restore list"
			}
			return s
		default:
			return fmt.Sprintf("%s not created (%s): %s", r.Email, r.State, r.Message)
		}
	}
	return fmt.Sprintf("journal job %d: nothing created", res.JobID)
}

// person is the form as the portal reads it.
func (f *onboardForm) person() portal.NewUser {
	v := func(key string) string {
		for _, fl := range f.fields {
			if fl.key == key {
				return strings.TrimSpace(fl.value)
			}
		}
		return ""
	}
	split := func(s string) []string {
		var out []string
		for _, p := range strings.Split(s, ";") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	return portal.NewUser{
		Email: v(portal.FieldEmail), First: v(portal.FieldFirst), Last: v(portal.FieldLast),
		Roles: split(v(portal.FieldRole)), Team: v(portal.FieldTeam),
		SecondaryTeams: split(v(portal.FieldSecondary)), Seats: split(v(portal.FieldSeat)),
		SendWelcomeEmail: v(fieldWelcome) == "yes",
	}
}

// problems are the form's problems by field, checked against the mirror's
// roles and teams as the admin types. Empty fields are only flagged once
// enter was pressed, so a fresh form is not a wall of red.
func (f *onboardForm) problems() map[string]string {
	if !f.loaded {
		return nil
	}
	all := portal.CheckNewUser(f.names, f.person())
	for key := range all {
		if !f.tried && f.value(key) == "" {
			delete(all, key)
		}
	}
	return all
}

func (f *onboardForm) value(key string) string {
	for _, fl := range f.fields {
		if fl.key == key {
			return strings.TrimSpace(fl.value)
		}
	}
	return ""
}

// key handles a key press while the form is on top.
func (f *onboardForm) key(m *model, k tea.KeyPressMsg) keyResult {
	ks := k.String()
	switch f.stage {
	case obFill:
		return f.fillKey(m, k)
	case obPlanning, obCreating:
		if ks == "q" {
			return used(m.quit()) // asks while a user is being created
		}
		return used(nil) // esc waits for the answer: nothing is half done
	case obPlan:
		switch ks {
		case "enter", "y":
			if len(f.plan.Sendable()) == 0 {
				return used(nil)
			}
			return used(m.createOnboard(f))
		case "e", "backspace":
			f.stage = obFill
			return used(nil)
		case "n", "q", "esc":
			m.msg = "user not created; nothing was sent"
			return closing(nil)
		}
		return used(nil)
	case obResult:
		if ks == "enter" || ks == "q" || ks == "esc" {
			return closing(nil)
		}
		return used(nil)
	}
	return used(nil)
}

func (f *onboardForm) fillKey(m *model, k tea.KeyPressMsg) keyResult {
	fl := &f.fields[f.at]
	switch ks := k.String(); ks {
	case "esc":
		m.msg = "user not created; nothing was sent"
		return closing(nil)
	case "tab", "down":
		f.at = (f.at + 1) % len(f.fields)
	case "shift+tab", "up":
		f.at = (f.at + len(f.fields) - 1) % len(f.fields)
	case "enter":
		f.tried = true
		if len(f.problems()) > 0 || !f.loaded {
			return used(nil) // the problems are shown beside their fields
		}
		return used(m.planOnboard(f))
	case "backspace":
		if fl.key != fieldWelcome && fl.value != "" {
			r := []rune(fl.value)
			fl.value = string(r[:len(r)-1])
		}
	case "ctrl+u":
		if fl.key != fieldWelcome {
			fl.value = ""
		}
	case "space":
		if fl.key == fieldWelcome {
			fl.value = map[string]string{"yes": "no", "no": "yes"}[fl.value]
		} else {
			fl.value += " "
		}
	default:
		if fl.key == fieldWelcome {
			switch ks {
			case "y":
				fl.value = "yes"
			case "n":
				fl.value = "no"
			}
		} else if k.Text != "" {
			fl.value += sanitizeInput(k.Text)
		}
	}
	return used(nil)
}

// paste puts pasted text into the field being edited.
func (f *onboardForm) paste(_ *model, msg tea.PasteMsg) tea.Cmd {
	if f.stage == obFill && f.fields[f.at].key != fieldWelcome {
		f.fields[f.at].value += sanitizeInput(strings.ReplaceAll(msg.Content, "\n", " "))
	}
	return nil
}

// sanitizeInput keeps typed or pasted text to printable characters.
func sanitizeInput(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func (m *model) planOnboard(f *onboardForm) tea.Cmd {
	f.stage, f.err = obPlanning, ""
	ob, ctx, person := m.onboarder(), m.ctx, f.person()
	return func() tea.Msg {
		plan, err := ob.PlanOnboard(ctx, "", []portal.NewUser{person})
		return onboardPlanMsg{form: f, plan: plan, err: err}
	}
}

func (m *model) createOnboard(f *onboardForm) tea.Cmd {
	f.stage = obCreating
	ob, ctx, plan := m.onboarder(), m.ctx, f.plan
	return func() tea.Msg {
		res, err := ob.StartOnboard(ctx, plan, nil)
		return onboardDoneMsg{form: f, res: res, err: err}
	}
}

// onboardRunning says which user is being created, "" when none.
func (m *model) onboardRunning() string {
	for _, o := range m.overlays {
		if f, ok := o.(*onboardForm); ok && f.stage == obCreating {
			return "the creation of " + sanitize(f.value(portal.FieldEmail))
		}
	}
	return ""
}

// needOnboard is why N cannot open the form, "" when it can.
func needOnboard(m *model) string {
	switch {
	case m.view != viewMain || m.focus != paneUsers:
		return "only on the users pane"
	case m.onboarder() == nil:
		return "this portal connection cannot create users"
	case m.readOnly():
		return "the portal is open read-only"
	}
	return m.info.OnboardRefusal()
}
