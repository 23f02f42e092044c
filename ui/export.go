package ui

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

type exportDoneMsg struct {
	path   string
	rows   int
	marked bool
	err    error
}

var exportHeaders = [paneCount][]string{
	paneUsers:    {"user_id", "owner_id", "crm_user_id", "name", "email", "roles", "primary_team", "contacts"},
	paneOwners:   {"owner_id", "user_id", "user_id_including_inactive", "name", "email", "type", "archived", "contacts"},
	paneContacts: {"contact_id", "name", "email", "owner_id", "owner_name", "owner_state", "last_modified"},
	paneFindings: {"kind", "title", "count", "record", "user_id", "owner_id", "contact_id", "crm_user_id"},
	paneLog:      {"time", "method", "path", "status", "latency_ms", "rate_remaining"},
}

// export writes the current view: the marked rows if any are marked, else
// every row matching the pane's query (not only the rows on screen).
func (m *model) export(format string) tea.Cmd {
	p := m.currentPane()
	m.exporting = true
	kind := p.kind
	header := exportHeaders[kind]
	if kind == paneContacts && p.rtype != "" {
		header = recordExportHeader(m.typeFor(p.rtype))
	}
	name := fmt.Sprintf("hsadmin-%s-%s", strings.ReplaceAll(m.paneLabel(kind), " ", "-"), m.now().In(m.loc).Format("20060102-150405"))
	dir := m.exportDir()
	var rows []row
	marked := len(p.marks) > 0
	var fetch func(ctx context.Context) ([]row, error)
	switch {
	case marked:
		rows = p.markedRows()
	case kind == paneContacts && p.rtype != "":
		read := m.allRecords(1 << 30)
		fetch = func(ctx context.Context) ([]row, error) {
			rows, _, err := read(ctx)
			return rows, err
		}
	case kind == paneContacts:
		b, q := m.b, m.contactsQuery()
		fetch = func(ctx context.Context) ([]row, error) {
			var all []row
			for off := 0; ; off += wholeListPage {
				q.Offset, q.Limit = off, wholeListPage
				cs, err := b.Contacts(ctx, q)
				if err != nil {
					return nil, err
				}
				all = append(all, contactRows(cs)...)
				if len(cs) < wholeListPage {
					return all, nil
				}
			}
		}
	default:
		rows = p.rows // whole lists are fully loaded
	}
	ctx := m.ctx
	return func() tea.Msg {
		if fetch != nil {
			var err error
			if rows, err = fetch(ctx); err != nil {
				return exportDoneMsg{err: err}
			}
		}
		path, err := writeExport(dir, name, format, header, rows)
		return exportDoneMsg{path: path, rows: len(rows), marked: marked, err: err}
	}
}

func exportSummary(msg exportDoneMsg) string {
	what := portal.Plural(msg.rows, "row")
	if msg.marked {
		what = portal.Plural(msg.rows, "marked row")
	}
	return fmt.Sprintf("exported %s to %s", what, msg.path)
}

// writeExport creates a new file (never overwriting one) and writes rows.
func writeExport(dir, name, format string, header []string, rows []row) (string, error) {
	f, path, err := createExportFile(dir, name, format)
	if err != nil {
		return "", err
	}
	if format == "json" {
		err = writeJSON(f, header, rows)
	} else {
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = r.export()
		}
		err = writeCSV(f, header, cells)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

// createExportFile creates dir/name.format, or name-2.format and on when
// that exists: an export never overwrites a file.
func createExportFile(dir, name, format string) (*os.File, string, error) {
	for i := 1; i < 100; i++ {
		path := filepath.Join(dir, name+"."+format)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d.%s", name, i, format))
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
	}
	return nil, "", fmt.Errorf("too many exports named %s in %s", name, dir)
}

// writeCSV writes a header and rows of cells, every cell defused.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, cells := range rows {
		for i, c := range cells {
			cells[i] = csvSafe(c)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses CSV injection as OWASP advises: a cell a spreadsheet would
// read as a formula (leading = + - @, or tab/CR that some apps strip first)
// gets a leading single quote, so it is shown as text. encoding/csv does the
// quoting of the cell itself.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// writeJSON writes an array of objects keyed by the header. JSON is read by
// programs, not spreadsheets, so values are written as they are.
func writeJSON(w io.Writer, header []string, rows []row) error {
	out := make([]map[string]string, 0, len(rows))
	for _, r := range rows {
		obj := make(map[string]string, len(header))
		for i, c := range r.export() {
			obj[header[i]] = c
		}
		out = append(out, obj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
