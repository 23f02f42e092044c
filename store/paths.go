package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNoMirror marks a failure that leaves nothing to browse: the portal has
// no local mirror yet. Messages built on it must not promise the mirror.
var ErrNoMirror = errors.New("there is no local mirror of this portal yet")

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
	return filepath.Join(dataDir, "portal-"+safeKey(key))
}

// safeKey is key with unsafe path characters replaced.
func safeKey(key string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, key)
	return strings.TrimLeft(safe, ".")
}

// RememberHubID notes which hub a portal key belongs to (the key of a token
// whose hub HubSpot told us), so that the portal's mirror can be found at a
// start without the network.
func RememberHubID(dataDir, key string, hubID int64) error {
	dir := filepath.Join(dataDir, "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, safeKey(key)), []byte(strconv.FormatInt(hubID, 10)+"\n"), 0o600)
}

// RecallHubID is the hub RememberHubID noted for key; ok is false when
// none was noted or the note is unreadable.
func RecallHubID(dataDir, key string) (hubID int64, ok bool) {
	b, err := os.ReadFile(filepath.Join(dataDir, "keys", safeKey(key)))
	if err != nil {
		return 0, false
	}
	hubID, err = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return hubID, err == nil && hubID > 0
}

// HasMirror reports whether dir holds a mirror file.
func HasMirror(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, MirrorFile))
	return err == nil
}
