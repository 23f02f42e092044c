package ui

import (
	"os"
	"path/filepath"
)

// exportDir is where exports go: the downloads folder the desktop names
// (XDG_DOWNLOAD_DIR), else ~/Downloads when it exists, else the home
// directory, else the working directory. It is absolute, so that the
// message after an export gives the whole path to open.
func (m *model) exportDir() string {
	if m.opts.dir != "" {
		return absDir(m.opts.dir)
	}
	home, _ := os.UserHomeDir()
	return absDir(downloadsDir(os.Getenv("XDG_DOWNLOAD_DIR"), home, isDir))
}

// downloadsDir picks the export directory from the XDG variable and the
// home directory; "" means the working directory.
func downloadsDir(xdg, home string, isDir func(string) bool) string {
	switch {
	case xdg != "" && isDir(xdg):
		return xdg
	case home == "":
		return ""
	case isDir(filepath.Join(home, "Downloads")):
		return filepath.Join(home, "Downloads")
	}
	return home
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
