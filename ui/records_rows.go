package ui

import (
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// recordItem is one record of a type beyond contacts. t describes its type
// (shared by every row of a page): the owner properties its cells follow.
type recordItem struct {
	portal.RecordRow
	t *portal.RecordType
}

func (r recordItem) key() string    { return string(r.ID) }
func (r recordItem) id() string     { return string(r.ID) }
func (r recordItem) idKind() string { return strings.ToLower(r.t.Singular) + " ID" }

// export is the type, the record and, per owner property, its owner IDs,
// their owners' names and states (";"-joined for a multi-select), under
// recordExportHeader.
func (r recordItem) export() []string {
	mod := ""
	if !r.LastModified.IsZero() {
		mod = r.LastModified.UTC().Format(time.RFC3339)
	}
	out := []string{string(r.Type), string(r.ID), r.Name, boolText(r.Closed), mod}
	for _, p := range r.t.OwnerProperties {
		var ids, names, states []string
		for _, c := range r.Owners {
			if c.Property == p.Name {
				ids, names, states = append(ids, string(c.OwnerID)), append(names, c.OwnerName), append(states, string(c.State))
			}
		}
		out = append(out, strings.Join(ids, ";"), strings.Join(names, ";"), strings.Join(states, ";"))
	}
	return out
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// recordExportHeader names recordItem.export's cells for type t.
func recordExportHeader(t *portal.RecordType) []string {
	out := []string{"object_type", "record_id", "name", "closed", "last_modified"}
	for _, p := range t.OwnerProperties {
		out = append(out, p.Name, p.Name+"_owner_names", p.Name+"_owner_states")
	}
	return out
}

// recordRows sanitizes a page of records once, as the other row builders do.
func recordRows(in []portal.RecordRow, t *portal.RecordType) []row {
	out := make([]row, len(in))
	for i, r := range in {
		r.Name = sanitize(r.Name)
		if len(r.Owners) > 0 {
			cells := make([]portal.RecordOwnerCell, len(r.Owners))
			copy(cells, r.Owners)
			for j := range cells {
				cells[j].OwnerName = sanitize(cells[j].OwnerName)
			}
			r.Owners = cells
		}
		out[i] = recordItem{RecordRow: r, t: t}
	}
	return out
}

// ownerCells groups a record's owners by the type's owner properties, in
// their order; a property holding nothing has no IDs.
func (r recordItem) ownerCells() [][]portal.RecordOwnerCell {
	out := make([][]portal.RecordOwnerCell, len(r.t.OwnerProperties))
	for _, c := range r.Owners {
		for i, p := range r.t.OwnerProperties {
			if p.Name == c.Property {
				out[i] = append(out[i], c)
				break
			}
		}
	}
	return out
}

// troubled says whether an owner ID of the record is deactivated or known
// to no owner: the row's flag.
func (r recordItem) troubled() bool {
	for _, c := range r.Owners {
		if c.State == portal.OwnerArchived || c.State == portal.OwnerUnknown {
			return true
		}
	}
	return false
}

// recordSegments is a record row: its name (and "closed") on the left; on
// the right each owner property's owners ("Ana Lopez 5001", "Gus Hale 5005
// deactivated", "? 7777 unknown", "—" when empty; a multi-select's IDs
// joined by ", "), properties apart by " · ", then the record's ID. The
// right side is what fits in w cells beside a name of minName: the
// record's name gives way first, then the owners' names, then the
// properties from the last (shown as "+N"); the record's ID stays.
func (m *model) recordSegments(r recordItem, w int) (left, right []seg, flag seg) {
	st := &m.st
	flag = seg{" ", nil}
	if r.troubled() {
		flag = seg{"!", &st.bad}
	}
	left = []seg{{r.Name, nil}}
	if r.Name == "" {
		left = []seg{{"(no name)", &st.dim}}
	}
	if r.Closed {
		left = append(left, seg{" closed", &st.dim})
	}
	cells := r.ownerCells()
	idSeg := seg{string(r.ID), nil}
	fits := func(right []seg) bool { return w-segsWidth(right)-1 >= minName }
	if len(r.Owners) == 0 {
		if right = []seg{{"no owner", &st.dim}, {"  ", nil}, idSeg}; fits(right) {
			return left, right, flag
		}
		return left, []seg{idSeg}, flag
	}
	if right = append(m.ownerSegments(cells, len(cells), true), idSeg); fits(right) {
		return left, right, flag
	}
	for shown := len(cells); shown >= 0; shown-- {
		if right = append(m.ownerSegments(cells, shown, false), idSeg); fits(right) {
			return left, right, flag
		}
	}
	return left, []seg{idSeg}, flag
}

// ownerSegments draws the first shown owner properties of a record, with
// or without the owners' names, then "+N" for the properties left out.
func (m *model) ownerSegments(cells [][]portal.RecordOwnerCell, shown int, names bool) []seg {
	st := &m.st
	var out []seg
	for i, c := range cells[:shown] {
		if i > 0 {
			out = append(out, seg{" · ", &st.dim})
		}
		if len(c) == 0 {
			out = append(out, seg{"—", &st.dim})
			continue
		}
		for j, o := range c {
			if j > 0 {
				out = append(out, seg{", ", nil})
			}
			out = append(out, ownerCellSegs(st, o, names)...)
		}
	}
	if left := len(cells) - shown; left > 0 {
		if shown > 0 {
			out = append(out, seg{" ", nil})
		}
		out = append(out, seg{"+" + portal.Thousands(left), &st.dim})
	}
	if len(out) > 0 {
		out = append(out, seg{"  ", nil})
	}
	return out
}

// ownerCellSegs is one owner ID as a cell shows it.
func ownerCellSegs(st *styles, o portal.RecordOwnerCell, names bool) []seg {
	switch o.State {
	case portal.OwnerUnknown:
		return []seg{{"? " + string(o.OwnerID) + " unknown", &st.bad}}
	case portal.OwnerArchived:
		if names && o.OwnerName != "" {
			return []seg{{o.OwnerName + " ", &st.bad}, {string(o.OwnerID) + " deactivated", &st.bad}}
		}
		return []seg{{string(o.OwnerID) + " deactivated", &st.bad}}
	}
	if names && o.OwnerName != "" {
		return []seg{{o.OwnerName + " ", nil}, {string(o.OwnerID), nil}}
	}
	return []seg{{string(o.OwnerID), nil}}
}

// idsWidth is the width of a record row's IDs with every owner column
// and no owner name: what the three panes side by side must leave a record
// before they become tabs (see idsFit). Computed without drawing, as
// idMappingWidth is; IDs and the words are ASCII, so bytes are cells.
func (r recordItem) idsWidth() int {
	n := len(r.ID)
	if len(r.Owners) == 0 {
		return len("no owner  ") + n
	}
	for i, cells := range r.ownerCells() {
		if i > 0 {
			n += len(" · ") - 1 // "·" is one cell in three bytes
		}
		if len(cells) == 0 {
			n++ // "—"
		}
		for j, c := range cells {
			if j > 0 {
				n += len(", ")
			}
			switch c.State {
			case portal.OwnerUnknown:
				n += len("? ") + len(c.OwnerID) + len(" unknown")
			case portal.OwnerArchived:
				n += len(c.OwnerID) + len(" deactivated")
			default:
				n += len(c.OwnerID)
			}
		}
	}
	return n + len("  ")
}

// recordHeader is the records pane's column header: the type's singular
// on the left; its owner properties' labels and "ID" on the right.
func recordHeader(t *portal.RecordType, w int) string {
	var labels []string
	for _, p := range t.OwnerProperties {
		labels = append(labels, sanitize(p.Label))
	}
	right := strings.Join(labels, " · ")
	if right != "" {
		right += "  "
	}
	right += "ID"
	left := "    " + strings.ToLower(sanitize(t.Singular))
	if cellWidth(left)+1+cellWidth(right) > w {
		right = "owners  ID"
	}
	return spread(left, right, w)
}

// recordLines is the detail box of a record: its name, ID and state, then
// each owner property with its owners spelled out.
func (m *model) recordLines(r recordItem, w int) []string {
	st := m.st
	head := st.bold.Render(orDash(r.Name))
	if r.Closed {
		head += "  " + st.dim.Render("closed")
	}
	lines := []string{head, strings.ToLower(sanitize(r.t.Singular)) + " ID " + string(r.ID)}
	for i, cells := range r.ownerCells() {
		p := r.t.OwnerProperties[i]
		label := sanitize(p.Label) + " (" + sanitize(p.Name) + "): "
		if len(cells) == 0 {
			lines = append(lines, label+st.dim.Render("none"))
			continue
		}
		var parts []string
		for _, c := range cells {
			switch c.State {
			case portal.OwnerUnknown:
				parts = append(parts, st.bad.Render(string(c.OwnerID)+" matches no owner"))
			case portal.OwnerArchived:
				parts = append(parts, st.bad.Render(orDash(c.OwnerName)+" "+string(c.OwnerID)+" (deactivated)"))
			default:
				parts = append(parts, orDash(c.OwnerName)+" "+string(c.OwnerID))
			}
		}
		lines = append(lines, flow(parts, ", ", w, label)...)
	}
	if id := r.resolveTarget(); id != "" && r.troubled() {
		lines = append(lines, wrapLines(m.keys.hint(actResolve)+" shows what "+string(id)+" is.", w)...)
	}
	if r.cardOwner() != "" {
		lines = append(lines, st.dim.Render("owner:"))
	}
	return lines
}

// resolveTarget is the owner ID `i` resolves on a record: the first that is
// deactivated or unknown, else the first.
func (r recordItem) resolveTarget() hubspot.OwnerID {
	for _, c := range r.Owners {
		if c.State == portal.OwnerArchived || c.State == portal.OwnerUnknown {
			return c.OwnerID
		}
	}
	if len(r.Owners) > 0 {
		return r.Owners[0].OwnerID
	}
	return ""
}

// cardOwner is the owner whose ID card the detail box shows under a
// record: its first owner that is an owner.
func (r recordItem) cardOwner() hubspot.OwnerID {
	for _, c := range r.Owners {
		if c.State == portal.OwnerActive || c.State == portal.OwnerArchived {
			return c.OwnerID
		}
	}
	return ""
}
