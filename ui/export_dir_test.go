package ui

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestExportsDefaultToTheDownloadsFolder(t *testing.T) {
	dirs := map[string]bool{"/x/dl": true, "/home/ann/Downloads": true, "/home/bo": true}
	has := func(p string) bool { return dirs[p] }
	for _, tc := range []struct{ xdg, home, want string }{
		{"/x/dl", "/home/ann", "/x/dl"},
		{"/x/missing", "/home/ann", "/home/ann/Downloads"},
		{"", "/home/ann", "/home/ann/Downloads"},
		{"", "/home/bo", "/home/bo"}, // no Downloads folder
		{"", "", ""},                 // no home: the working directory
	} {
		if got := downloadsDir(tc.xdg, tc.home, has); got != tc.want {
			t.Errorf("xdg %q home %q: %q, want %q", tc.xdg, tc.home, got, tc.want)
		}
	}
}

// The message after an export gives the whole path.
func TestExportSaysTheWholePath(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("ctrl+s")
	i := strings.Index(h.m.msg, " to ")
	if i < 0 {
		t.Fatalf("msg %q", h.m.msg)
	}
	if path := h.m.msg[i+len(" to "):]; !filepath.IsAbs(path) || !strings.HasPrefix(path, h.m.exportDir()) {
		t.Errorf("export path %q is not whole", path)
	}
}
