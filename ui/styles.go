package ui

import (
	"image/color"
	"os"

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
	status                   lipgloss.Style
	errLine                  lipgloss.Style
	tab, tabActive           lipgloss.Style
	input                    lipgloss.Style
}

func noColorRequested() bool { return os.Getenv("NO_COLOR") != "" }

func newStyles(isDark, noColor bool) styles {
	s := lipgloss.NewStyle()
	if noColor {
		return styles{
			border: s, borderFocus: s.Bold(true),
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
	faint := c("#8A8A8A", "#6C6C6C")
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
		status:       s.Foreground(text),
		errLine:      s.Foreground(c("#FFFFFF", "#FFFFFF")).Background(bad).Bold(true),
		tab:          s.Foreground(faint),
		tabActive:    s.Foreground(accent).Bold(true).Underline(true),
		input:        s.Foreground(text),
	}
}
