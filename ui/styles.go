package ui

import (
	"image/color"
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// styles are built once per (background, NO_COLOR) combination; View only
// applies them. Without colour, emphasis falls back to bold, faint, underline
// and reverse video so the cursor and warnings stay visible.
type styles struct {
	border, borderFocus      lipgloss.Style
	title, titleFocus        lipgloss.Style
	header                   lipgloss.Style
	cursor, cursorBlur       lipgloss.Style
	linked                   lipgloss.Style
	marked                   lipgloss.Style
	multi                    lipgloss.Style
	warn, bad, dim, ok, bold lipgloss.Style
	badgeSandbox, badgeRO    lipgloss.Style
	badgeProd                lipgloss.Style
	portal                   lipgloss.Style // the portal name, in the accent colour
	status                   lipgloss.Style
	errLine                  lipgloss.Style
	tab, tabActive           lipgloss.Style
	input                    lipgloss.Style
}

func noColorRequested() bool { return os.Getenv("NO_COLOR") != "" }

// accentColor parses a config accent ("#rrggbb" or "0".."255"); ok is false
// for "" so callers keep their defaults.
func accentColor(accent string) (color.Color, bool) {
	if accent == "" {
		return nil, false
	}
	return lipgloss.Color(accent), true
}

func newStyles(isDark, noColor bool, accent string) styles {
	st := baseStyles(isDark, noColor)
	if noColor {
		return st
	}
	if c, ok := accentColor(accent); ok {
		// The accent is a background behind the name, with whichever of
		// black or white text reads better on it.
		st.portal = st.portal.Background(c).Foreground(readableOn(c)).Padding(0, 1)
		st.badgeProd = st.badgeProd.Background(c).Foreground(readableOn(c))
	}
	return st
}

// readableOn picks black or white text for a background by its luminance.
func readableOn(bg color.Color) color.Color {
	r, g, b, _ := bg.RGBA()
	lum := (299*float64(r) + 587*float64(g) + 114*float64(b)) / 1000 / 0xffff
	if lum > 0.55 {
		return lipgloss.Color("#000000")
	}
	return lipgloss.Color("#FFFFFF")
}

func baseStyles(isDark, noColor bool) styles {
	s := lipgloss.NewStyle()
	if noColor {
		return styles{
			badgeProd: s.Reverse(true).Bold(true),
			portal:    s.Bold(true),
			border:    s, borderFocus: s.Bold(true),
			title: s, titleFocus: s.Bold(true),
			header:       s.Underline(true),
			cursor:       s.Reverse(true),
			cursorBlur:   s.Underline(true),
			linked:       s.Reverse(true),
			marked:       s.Bold(true),
			multi:        s.Bold(true),
			warn:         s.Bold(true),
			bad:          s.Bold(true),
			dim:          s.Faint(true),
			ok:           s,
			bold:         s.Bold(true),
			badgeSandbox: s.Reverse(true),
			badgeRO:      s.Reverse(true),
			status:       s,
			errLine:      s.Bold(true).Reverse(true),
			tab:          s, tabActive: s.Reverse(true).Bold(true),
			input: s,
		}
	}
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	accent := c("#5A32C8", "#A98BFF")
	faint := c("#6E6E6E", "#8A8A8A")
	text := c("#1F1F1F", "#E4E4E4")
	selBg := c("#D9D0FF", "#3E3370")
	linkBg := c("#CDEBD6", "#234A31")
	warn := c("#9A5B00", "#F2B35E")
	bad := c("#B3261E", "#FF7A70")
	good := c("#1E7A3B", "#7BD88F")
	return styles{
		border:       s.Foreground(faint),
		borderFocus:  s.Foreground(accent),
		title:        s.Foreground(faint),
		titleFocus:   s.Foreground(accent).Bold(true),
		header:       s.Foreground(faint).Underline(true),
		cursor:       s.Background(selBg).Foreground(text).Bold(true),
		cursorBlur:   s.Underline(true),
		linked:       s.Background(linkBg).Foreground(text),
		marked:       s.Foreground(accent).Bold(true),
		multi:        s.Foreground(warn).Bold(true),
		warn:         s.Foreground(warn),
		bad:          s.Foreground(bad).Bold(true),
		dim:          s.Foreground(faint),
		ok:           s.Foreground(good),
		bold:         s.Bold(true),
		badgeSandbox: s.Background(c("#F2B35E", "#9A5B00")).Foreground(c("#1F1F1F", "#FFFFFF")).Bold(true),
		badgeRO:      s.Background(c("#B8D4FF", "#1F4E8C")).Foreground(c("#1F1F1F", "#FFFFFF")).Bold(true),
		badgeProd:    s.Background(bad).Foreground(c("#FFFFFF", "#1F1F1F")).Bold(true),
		portal:       s.Bold(true),
		status:       s.Foreground(text),
		errLine:      s.Foreground(c("#FFFFFF", "#1F1F1F")).Background(bad).Bold(true),
		tab:          s.Foreground(faint),
		tabActive:    s.Foreground(accent).Bold(true).Underline(true),
		input:        s.Foreground(text),
	}
}

// inputStyles colours the `/` and `:` line; without colour the prompt is
// bold and completion ghosts are faint.
func inputStyles(isDark, noColor bool) textinput.Styles {
	if !noColor {
		return textinput.DefaultStyles(isDark)
	}
	s := lipgloss.NewStyle()
	st := textinput.Styles{
		Focused: textinput.StyleState{Prompt: s.Bold(true), Text: s, Placeholder: s.Faint(true), Suggestion: s.Faint(true)},
		Blurred: textinput.StyleState{Prompt: s, Text: s, Placeholder: s.Faint(true), Suggestion: s.Faint(true)},
	}
	st.Cursor = textinput.DefaultStyles(isDark).Cursor
	st.Cursor.Color = nil
	return st
}

// helpStyles colours key hints; without colour keys are bold.
func helpStyles(isDark, noColor bool) help.Styles {
	if !noColor {
		return help.DefaultStyles(isDark)
	}
	s := lipgloss.NewStyle()
	return help.Styles{
		Ellipsis: s, ShortKey: s.Bold(true), ShortDesc: s, ShortSeparator: s.Faint(true),
		FullKey: s.Bold(true), FullDesc: s, FullSeparator: s.Faint(true),
	}
}

// newSyncBar is the status line's sync progress bar. It is drawn with
// ViewAs from the latest progress message, so it needs no animation frames;
// without colour the bar is plain block characters.
func newSyncBar(isDark, noColor bool) progress.Model {
	opts := []progress.Option{progress.WithoutPercentage(), progress.WithFillCharacters('█', '░')}
	if noColor {
		opts = append(opts, progress.WithColors(lipgloss.NoColor{}))
	} else {
		ld := lipgloss.LightDark(isDark)
		opts = append(opts, progress.WithColors(ld(lipgloss.Color("#5A32C8"), lipgloss.Color("#A98BFF"))))
	}
	bar := progress.New(opts...)
	if noColor {
		bar.EmptyColor = lipgloss.NoColor{}
	}
	return bar
}
