package ui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// jobsView is the :jobs audit view: every job of the journal
// (reassignments and team or role changes), newest first.
type jobsView struct {
	jobs   []portal.JobSummary
	loaded bool
	cursor int
	top    int
	err    string
}

type jobsMsg struct {
	view *jobsView
	jobs []portal.JobSummary
	err  error
}

type jobsExportMsg struct {
	path string
	n    int
	err  error
}

// unfinishedMsg carries the jobs found unfinished when the console opens.
type unfinishedMsg struct {
	jobs []portal.JobSummary
}

func (m *model) jobLog() JobLog {
	l, _ := m.b.(JobLog)
	return l
}

// openJobs opens the audit view.
func (m *model) openJobs() tea.Cmd {
	if why := needJobLog(m); why != "" {
		m.msg = ":jobs: " + why
		return nil
	}
	m.jobs = &jobsView{}
	return m.loadJobs()
}

func (m *model) loadJobs() tea.Cmd {
	v, l, ctx := m.jobs, m.jobLog(), m.ctx
	return func() tea.Msg {
		jobs, err := l.JobHistory(ctx)
		return jobsMsg{view: v, jobs: jobs, err: err}
	}
}

// checkUnfinished looks for jobs a crash or a cancel left unfinished, so
// the console can point at them when it opens.
func (m *model) checkUnfinished() tea.Cmd {
	l, ctx := m.jobLog(), m.ctx
	if l == nil {
		return nil
	}
	return func() tea.Msg {
		jobs, err := l.JobHistory(ctx)
		if err != nil {
			return nil
		}
		var open []portal.JobSummary
		for _, j := range jobs {
			if j.Resumable() {
				open = append(open, j)
			}
		}
		if len(open) == 0 {
			return nil
		}
		return unfinishedMsg{jobs: open}
	}
}

func (m *model) applyJobs(msg jobsMsg) tea.Cmd {
	v := m.jobs
	if v == nil || msg.view != v {
		return nil
	}
	v.jobs, v.loaded, v.err = msg.jobs, true, ""
	if msg.err != nil {
		v.err = "cannot read the journal: " + msg.err.Error()
	}
	v.cursor = min(v.cursor, max(len(v.jobs)-1, 0))
	return nil
}

func (v *jobsView) current() (portal.JobSummary, bool) {
	if v.cursor < 0 || v.cursor >= len(v.jobs) {
		return portal.JobSummary{}, false
	}
	return v.jobs[v.cursor], true
}

func (m *model) jobsKey(k tea.KeyPressMsg) tea.Cmd {
	v := m.jobs
	switch k.String() {
	case "esc", "q":
		m.jobs = nil
	case "up", "k":
		v.cursor = max(v.cursor-1, 0)
	case "down", "j":
		v.cursor = min(v.cursor+1, max(len(v.jobs)-1, 0))
	case "home", "g":
		v.cursor = 0
	case "end", "G":
		v.cursor = max(len(v.jobs)-1, 0)
	case "r":
		return m.loadJobs()
	case "u":
		j, ok := v.current()
		switch {
		case ok && isUserChangeJob(j):
			return m.startUserChangeUndo(j)
		case !ok:
		case m.readOnly():
			m.msg = "undo: the portal is open read-only; undoing writes to HubSpot"
		case m.reassigner() == nil:
			m.msg = "undo: this portal connection cannot reassign contacts"
		case !j.Undoable():
			m.msg = fmt.Sprintf("job %d cannot be undone here (%s)", j.ID, j.Outcome())
		default:
			return m.startUndo(j.ID)
		}
	case "enter":
		return m.openJobDetail()
	case "c":
		j, ok := v.current()
		switch {
		case !ok:
		case m.readOnly():
			m.msg = "resume: the portal is open read-only; resuming writes to HubSpot"
		case m.reassigner() == nil:
			m.msg = "resume: this portal connection cannot reassign contacts"
		case !j.Resumable():
			m.msg = fmt.Sprintf("job %d has nothing to resume (%s)", j.ID, j.Outcome())
		case j.Kind == portal.KindOffboard:
			return m.resumeOffboard(j)
		default:
			return m.startResume(j)
		}
	case "x":
		return m.exportJobs("csv")
	case "X":
		return m.exportJobs("json")
	}
	return nil
}

// exportJobs writes the audit view to a CSV or JSON file in a Cmd.
func (m *model) exportJobs(format string) tea.Cmd {
	rows := make([]portal.JobRecord, len(m.jobs.jobs))
	for i, j := range m.jobs.jobs {
		rows[i] = j.Record()
	}
	name := "hsadmin-jobs-" + m.now().In(m.loc).Format("20060102-150405")
	dir := m.exportDir()
	return func() tea.Msg {
		path, err := writeJobs(dir, name, format, rows)
		return jobsExportMsg{path: path, n: len(rows), err: err}
	}
}

// writeJobs writes the jobs as the CSV or JSON of writeExport; JSON keeps
// the records' own types (numbers stay numbers).
func writeJobs(dir, name, format string, rows []portal.JobRecord) (string, error) {
	f, path, err := createExportFile(dir, name, format)
	if err != nil {
		return "", err
	}
	if format == "json" {
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		err = enc.Encode(rows)
	} else {
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = []string{strconv.FormatInt(r.ID, 10), r.Kind, r.CreatedAt.Format(time.RFC3339), r.State, r.Summary,
				strconv.Itoa(r.Total), strconv.Itoa(r.Done), strconv.Itoa(r.Failed), strconv.Itoa(r.Skipped), strconv.Itoa(r.Left),
				idOrEmpty(r.UndoOf), idOrEmpty(r.UndoneBy)}
		}
		err = writeCSV(f, []string{"id", "kind", "created_at", "state", "summary", "total", "done", "failed", "skipped", "left", "undo_of", "undone_by"}, cells)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// renderJobs draws the audit view: a table of jobs and the selected job's
// details.
func (m *model) renderJobs(w, h int) []string {
	v := m.jobs
	inner := w - 2
	var body []string
	switch {
	case v.err != "":
		body = append(body, m.st.bad.Render(sanitize(v.err)))
	case !v.loaded:
		body = append(body, "loading the journal…")
	case len(v.jobs) == 0:
		body = append(body, "The journal holds no job yet: reassignments and team or role changes appear here.")
	}
	head := m.st.dim.Render(pad(fmt.Sprintf("%5s  %-16s  %-11s  %7s  %s", "JOB", "WHEN", "KIND", "ITEMS", "OUTCOME · WHAT"), inner))
	if v.loaded && len(v.jobs) > 0 {
		body = append(body, head)
	}
	listH := max(h-2-len(body)-4, 1)
	if v.cursor < v.top {
		v.top = v.cursor
	}
	if v.cursor >= v.top+listH {
		v.top = v.cursor - listH + 1
	}
	for i := v.top; i < len(v.jobs) && i < v.top+listH; i++ {
		j := v.jobs[i]
		line := fmt.Sprintf("%5d  %-16s  %-11s  %7s  %s · %s", j.ID, j.CreatedAt.In(m.loc).Format("2006-01-02 15:04"),
			sanitize(j.Kind), portal.Thousands(j.Items.Total), sanitize(j.Outcome()), sanitize(j.Summary))
		if i == v.cursor {
			body = append(body, m.st.cursor.Render(pad(line, inner)))
			continue
		}
		if j.Resumable() {
			line = m.st.warn.Render(line)
		}
		body = append(body, line)
	}
	body = padLines(body, max(h-2-3, 0))
	keys := "j/k move · enter items · u undo · c resume · x/X CSV/JSON · r reload · esc"
	if m.readOnly() {
		keys = "j/k move · enter items · x/X CSV/JSON · r reload · esc · read-only"
	}
	if j, ok := v.current(); ok {
		body = append(body, fmt.Sprintf("job %d: %s", j.ID, sanitize(j.Summary)), m.st.bold.Render(m.jobChoices(j)))
	} else {
		body = append(body, "", "")
	}
	body = append(body, m.st.dim.Render(keys))
	return m.box("jobs · the journal of every change ", "esc closes", w, h, true, body)
}

// jobChoices says what the selected job offers: resume and undo write to
// HubSpot, so read-only they are not offered and the reason is given.
func (m *model) jobChoices(j portal.JobSummary) string {
	var can []string
	if j.Resumable() {
		can = append(can, "c resumes it")
	}
	if j.Undoable() || userChangeUndoable(j) {
		can = append(can, "u undoes it")
	}
	switch {
	case len(can) == 0:
		return "nothing to resume or undo"
	case m.readOnly():
		return "read-only: resuming and undoing write to HubSpot, so they are off"
	}
	return strings.Join(can, " · ")
}

// applyUnfinished points at the jobs left unfinished.
func (m *model) applyUnfinished(msg unfinishedMsg) {
	ids := make([]string, len(msg.jobs))
	for i, j := range msg.jobs {
		ids[i] = strconv.FormatInt(j.ID, 10)
	}
	what := "job " + ids[0] + " was"
	if len(ids) > 1 {
		what = "jobs " + strings.Join(ids, ", ") + " were"
	}
	m.msg = what + " left unfinished: :jobs resumes or undoes them"
}
