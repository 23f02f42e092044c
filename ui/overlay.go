package ui

import (
	"fmt"
	"image"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// Modals are overlays: boxes drawn over the panes, kept on one stack
// (m.overlays). Which modal has the keys is the stack's order, not the
// order of ifs: the top overlay gets every key, esc closes it when it does
// not use esc itself, and the one below gets the keys again. render draws
// the panes, then each overlay centred over them, bottom to top.
//
// Who gets a key press, in order (handleKey):
//
//  1. The interrupt question (interrupt.go), while open. It is about a
//     write that is being sent right now, so it is over everything, even
//     overlays opened after it, and is kept in its own slot (m.interrupt)
//     rather than on the stack, where a later push could cover it.
//  2. ctrl+c, whatever is open: it quits, or asks question 1 while a write
//     runs. An admin must always have a way out.
//  3. The top overlay of the stack.
//  4. The input line (/ filter or : command) while open. It is not an
//     overlay: it filters the pane under it as the admin types, so the
//     pane must stay in view and in charge of the layout.
//  5. The view under everything: the panes, or a full-screen view that
//     replaces them (jobs, job detail, findings, API log). Those are panes
//     rather than modals: they are places one browses and acts from, with
//     overlays of their own (undo from the jobs view is a reassignment
//     overlay over the jobs view), and esc going back from them is "back",
//     not "cancel".
//
// A new modal implements overlay, opens with m.openOverlay and closes by
// returning keyResult.close, by an unused esc, or with m.closeOverlay.
type overlay interface {
	// frame says how the box around the body looks.
	frame(m *model) overlayFrame
	// body draws the content inside the box for an area of w x h cells.
	// It gets the real room and fits itself to it: lines wider than w are
	// cut (never through an ID, see cutText), lines beyond h are dropped,
	// so an overlay that can be long scrolls or shortens itself.
	body(m *model, w, h int) []string
	// key handles a key press while the overlay is on top.
	key(m *model, k tea.KeyPressMsg) keyResult
}

// overlayFrame is the box around an overlay's body.
type overlayFrame struct {
	title string // in the top border
	hint  string // key hint on the right of the top border, e.g. "esc closes"
	width int    // the widest box wanted, borders included; 0 takes the whole area
}

// keyResult is what an overlay did with a key.
type keyResult struct {
	cmd tea.Cmd
	// consumed says the overlay used the key. An unused esc closes the
	// overlay; any other unused key is dropped, because an overlay is
	// modal: nothing under it may react to a key the admin meant for it.
	consumed bool
	close    bool // take the overlay off the stack
}

// used is the result of a key the overlay handled and stays open after.
func used(cmd tea.Cmd) keyResult { return keyResult{cmd: cmd, consumed: true} }

// closing is the result of a key that closes the overlay.
func closing(cmd tea.Cmd) keyResult { return keyResult{cmd: cmd, consumed: true, close: true} }

// An overlay may also implement these.
type (
	// overlayCloser learns that the overlay left the stack, whichever way,
	// to drop the model's references to it.
	overlayCloser interface{ closed(m *model) }
	// overlayCursor shows the terminal cursor in the body (for a text
	// input); x and y are counted from the body's top-left cell, and the
	// body is w cells wide. nil hides the cursor.
	overlayCursor interface {
		cursor(m *model, w int) *tea.Cursor
	}
	// overlayPaster takes pasted text.
	overlayPaster interface {
		paste(m *model, msg tea.PasteMsg) tea.Cmd
	}
)

// openOverlay puts o on top of the stack: it gets the keys from now on.
func (m *model) openOverlay(o overlay) {
	m.overlays = append(m.overlays, o)
	m.version++ // callable outside Update too: the cached frame is stale
}

// closeOverlay takes o off the stack wherever it is (a flow can end by a
// message while a confirmation sits above it). Closing an overlay that is
// not open does nothing.
func (m *model) closeOverlay(o overlay) {
	for i := len(m.overlays) - 1; i >= 0; i-- {
		if m.overlays[i] != o {
			continue
		}
		m.overlays = append(m.overlays[:i:i], m.overlays[i+1:]...)
		m.version++
		if c, ok := o.(overlayCloser); ok {
			c.closed(m)
		}
		return
	}
}

// topOverlay is the overlay that gets the keys, or nil.
func (m *model) topOverlay() overlay {
	if len(m.overlays) == 0 {
		return nil
	}
	return m.overlays[len(m.overlays)-1]
}

// overlayKey gives k to the top overlay; ok is false when none is open.
func (m *model) overlayKey(k tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	top := m.topOverlay()
	if top == nil {
		return nil, false
	}
	res := top.key(m, k)
	if res.close || (!res.consumed && k.String() == "esc") {
		m.closeOverlay(top)
	}
	return res.cmd, true
}

// overlayPaste gives pasted text to the top overlay, if it takes any; ok
// is false when no overlay is open (the input line may take it then).
func (m *model) overlayPaste(msg tea.PasteMsg) (cmd tea.Cmd, ok bool) {
	top := m.topOverlay()
	if top == nil {
		return nil, false
	}
	if p, takes := top.(overlayPaster); takes {
		return p.paste(m, msg), true
	}
	return nil, true
}

// drawnOverlays are the overlays render draws, bottom to top: the stack,
// then the interrupt question over everything (rule 1 above).
func (m *model) drawnOverlays() []overlay {
	if m.interrupt == nil {
		return m.overlays
	}
	return append(m.overlays[:len(m.overlays):len(m.overlays)], m.interrupt)
}

// keyOverlay is the drawn overlay that gets the keys, or nil.
func (m *model) keyOverlay() overlay {
	all := m.drawnOverlays()
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// Overlay placement. A box that fits with a margin around it (two columns
// left and right, a line above and below) is centred over the panes, which
// stay in sight around it. One that does not fit falls back to the whole
// main area in that direction rather than leave slivers of cut pane text.
const (
	overlayMarginX = 2
	overlayMarginY = 1
	overlayPadMinW = 30 // below this, no blank column inside the borders
)

// placedBox is an overlay drawn as a box and where it goes.
type placedBox struct {
	lines []string
	x, y  int // the box's top-left cell in the main area
	bodyX int // the body's first column, from the box's left edge
	bodyW int
}

// placeOverlay draws o as a box over a main area of w x h cells. The frame
// is asked again after the body is drawn, so a hint may depend on the room
// the body had (help says how to scroll only when it must).
func (m *model) placeOverlay(o overlay, w, h int) placedBox {
	bw := w
	if want := o.frame(m).width; want > 0 && want <= w-2*overlayMarginX {
		bw = want
	}
	padX := 0
	if bw >= overlayPadMinW {
		padX = 1
	}
	inner, rows := max(bw-2-2*padX, 1), max(h-2, 1)
	body := slices.Clone(o.body(m, inner, rows)) // padded below, in place
	if len(body) > rows {
		body = body[:rows]
	}
	if padX > 0 {
		for i, l := range body {
			body[i] = " " + pad(l, inner) + " "
		}
	}
	f := o.frame(m)
	bh := len(body) + 2
	if bh > h-2*overlayMarginY {
		bh = max(h, 2) // does not fit with a margin: the whole height
	}
	box := m.box(f.title, f.hint, bw, bh, true, body)
	return placedBox{
		lines: box,
		x:     max((w-bw)/2, 0),
		y:     max((h-len(box))/2, 0),
		bodyX: 1 + padX,
		bodyW: inner,
	}
}

// composeOverlays draws every open overlay over the h lines of the main
// area and notes where the top body is, for the cursor. What is under the
// top overlay is dimmed, so the box reads as on top and a sliver of a row
// reads as background. The rows the boxes cover go through a cell canvas,
// so wide characters and styles under a box's edge are cut cleanly; the
// other rows are only dimmed, as strings, which keeps a frame with an
// overlay about as cheap as one without.
func (m *model) composeOverlays(under []string, w, h int) []string {
	all := m.drawnOverlays()
	m.cursorAt = nil
	if len(all) == 0 {
		return under
	}
	lines := padLines(slices.Clone(under), h)
	boxes := make([]placedBox, len(all))
	top, bottom := h, 0
	for i, o := range all {
		boxes[i] = m.placeOverlay(o, w, h)
		top = min(top, boxes[i].y)
		bottom = max(bottom, boxes[i].y+len(boxes[i].lines))
	}
	bottom = min(bottom, h)
	for y := range lines {
		if y < top || y >= bottom {
			lines[y] = faint(lines[y])
		}
	}
	canvas := m.canvas(w, bottom-top)
	canvas.Compose(lipgloss.NewLayer(strings.Join(lines[top:bottom], "\n")))
	for _, b := range boxes {
		dim(canvas) // only the top box is drawn bright
		bw, y := cellWidth(b.lines[0]), b.y-top
		blankCutIDs(canvas, b.x, y, bw, len(b.lines))
		uv.NewStyledString(strings.Join(b.lines, "\n")).Draw(canvas, image.Rect(b.x, y, b.x+bw, y+len(b.lines)))
	}
	last := boxes[len(boxes)-1]
	m.cursorAt = &overlayOrigin{x: last.x + last.bodyX, y: last.y + 1, w: last.bodyW}
	copy(lines[top:bottom], strings.Split(canvas.Render(), "\n"))
	return lines
}

// canvas is a cleared w x h cell canvas, kept between frames.
func (m *model) canvas(w, h int) *lipgloss.Canvas {
	if m.overlayCanvas == nil {
		m.overlayCanvas = lipgloss.NewCanvas(w, h)
	} else if m.overlayCanvas.Width() != w || m.overlayCanvas.Height() != h {
		m.overlayCanvas.Resize(w, h)
	}
	m.overlayCanvas.Clear()
	return m.overlayCanvas
}

// faint dims a styled line: faint at its start and again after each of its
// SGR sequences, which could end it.
func faint(s string) string {
	const on = "\x1b[2m"
	var b strings.Builder
	b.Grow(len(s) + 32)
	b.WriteString(on)
	for i := 0; i < len(s); {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			if j < len(s) {
				b.WriteString(s[i : j+1])
				if s[j] == 'm' {
					b.WriteString(on)
				}
				i = j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	b.WriteString("\x1b[m")
	return b.String()
}

// dim makes every cell of c faint.
func dim(c *lipgloss.Canvas) {
	for y := range c.Height() {
		for x := range c.Width() {
			if cell := c.CellAt(x, y); cell != nil {
				cell.Style.Attrs |= uv.AttrFaint
			}
		}
	}
}

// blankCutIDs clears the digits either side of a box about to be drawn at
// x, y (bw x bh cells): a run of digits the box's edge cuts would show part
// of an ID, and half an ID reads as another ID.
func blankCutIDs(c *lipgloss.Canvas, x, y, bw, bh int) {
	for row := y; row < y+bh; row++ {
		for col := x - 1; col >= 0 && isDigitCell(c.CellAt(col, row)); col-- {
			c.SetCell(col, row, uv.EmptyCell.Clone())
		}
		for col := x + bw; col < c.Width() && isDigitCell(c.CellAt(col, row)); col++ {
			c.SetCell(col, row, uv.EmptyCell.Clone())
		}
	}
}

func isDigitCell(cell *uv.Cell) bool {
	return cell != nil && len(cell.Content) == 1 && cell.Content[0] >= '0' && cell.Content[0] <= '9'
}

// headAndFoot fits a flow's body in h lines: the foot (choices, prompts,
// keys) always shows and the head, from line top, takes the rest, saying
// how much more there is. When not even the foot fits, its end stays: the
// choices and their keys are what the admin needs to act.
func (m *model) headAndFoot(head, foot []string, top, h int) []string {
	if len(foot) >= h {
		return slices.Clone(foot[len(foot)-max(h, 0):])
	}
	room := h - len(foot)
	shown := head[min(max(top, 0), len(head)):]
	if len(shown) > room {
		shown = append(shown[:room-1:room-1], m.st.dim.Render(fmt.Sprintf("… %d more lines (pgdown)", len(shown)-room+1)))
	}
	return append(slices.Clone(shown), foot...)
}

// overlayOrigin is where the top overlay's body was last drawn.
type overlayOrigin struct{ x, y, w int }

// renderTinyOverlay draws the top overlay alone on a terminal too small
// for the panes, without a box: its title, its body, and its key hint on
// the last line, so the key the admin pressed never seems to do nothing.
func (m *model) renderTinyOverlay(o overlay, w, h int) []string {
	f := o.frame(m)
	lines := []string{m.st.titleFocus.Render(cutText(strings.TrimSpace(f.title), w))}
	rows := h - 1
	if f.hint != "" && h >= 3 {
		rows--
	}
	lines = append(lines, padLines(o.body(m, w, max(rows, 1)), max(rows, 0))...)
	if f.hint != "" && h >= 3 {
		lines = append(lines, m.st.dim.Render(cutText(f.hint, w)))
	}
	m.cursorAt = &overlayOrigin{x: 0, y: 1, w: w}
	return lines
}

// overlayCursorPos is the terminal cursor the top overlay asks for, or nil.
func (m *model) overlayCursorPos() *tea.Cursor {
	o, at := m.keyOverlay(), m.cursorAt
	if o == nil || at == nil {
		return nil
	}
	c, ok := o.(overlayCursor)
	if !ok {
		return nil
	}
	cur := c.cursor(m, at.w)
	if cur == nil {
		return nil
	}
	cur.Position.X += at.x
	cur.Position.Y += at.y
	if cur.Position.X >= m.width || cur.Position.Y >= m.height {
		return nil
	}
	return cur
}
