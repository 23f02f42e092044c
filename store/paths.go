package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File names inside a portal directory.
const (
	MirrorFile  = "mirror.db"
	JournalFile = "journal.db"
)

// DefaultDataDir is where portal directories live unless a flag says
// otherwise: the user's cache directory, because the mirror is a cache.
func DefaultDataDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a cache directory for the local mirror (%w); pass --data-dir", err)
	}
	return filepath.Join(dir, "hsadmin"), nil
}

// PortalDir is the directory holding one portal's mirror and journal.
func PortalDir(dataDir string, hubID int64) string {
	return filepath.Join(dataDir, fmt.Sprintf("hub-%d", hubID))
}

// PortalDirByKey is the directory of a portal whose hub ID is unknown, named
// by a caller-chosen key (unsafe path characters are replaced).
func PortalDirByKey(dataDir, key string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, key)
	return filepath.Join(dataDir, "portal-"+strings.TrimLeft(safe, "."))
}
