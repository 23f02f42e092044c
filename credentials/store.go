package credentials

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"
)

// ErrNotFound means no credentials are saved for the portal.
var ErrNotFound = errors.New("no saved credentials")

// Keyring is the part of an OS keyring the store uses. Get and Delete return
// an error wrapping ErrNotFound for a missing entry.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// keyringService names hsadmin's entries in the OS keyring; the portal name
// is the entry's user.
const keyringService = "hsadmin"

// FileName is the fallback file inside the store's directory.
const FileName = "credentials.json"

// Store saves credentials per portal name. It is safe for concurrent use
// within one process.
type Store struct {
	keyring Keyring // nil when no keyring is usable
	file    *fileStore
}

// DefaultDir is the directory of the fallback file: hsadmin's directory in
// the user config directory ($XDG_CONFIG_HOME/hsadmin).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user config directory: %w", err)
	}
	return filepath.Join(dir, "hsadmin"), nil
}

// Open uses the OS keyring when it answers, otherwise only the file in dir.
// On Linux without a D-Bus Secret Service the keyring fails and the file is
// used; that is expected on servers and containers.
func Open(dir string) *Store { return New(dir, usableKeyring(osKeyring{})) }

// New uses kr (nil for none) with the file in dir as the fallback.
func New(dir string, kr Keyring) *Store {
	return &Store{keyring: kr, file: &fileStore{path: filepath.Join(dir, FileName)}}
}

// usableKeyring probes kr with a lookup that should find nothing; any other
// answer than "not found" means the keyring is unavailable.
func usableKeyring(kr Keyring) Keyring {
	if _, err := kr.Get(keyringService, "hsadmin-probe"); err == nil || errors.Is(err, ErrNotFound) {
		return kr
	}
	return nil
}

// UsesKeyring reports whether the OS keyring is in use.
func (s *Store) UsesKeyring() bool { return s.keyring != nil }

// FilePath is the fallback file's path.
func (s *Store) FilePath() string { return s.file.path }

// Load returns the portal's credential, or an error wrapping ErrNotFound.
func (s *Store) Load(portal string) (Credential, error) {
	if portal == "" {
		return Credential{}, errors.New("no portal name given")
	}
	var keyringErr error
	if s.keyring != nil {
		secret, err := s.keyring.Get(keyringService, portal)
		switch {
		case err == nil:
			var r record
			if err := json.Unmarshal([]byte(secret), &r); err != nil {
				return Credential{}, fmt.Errorf("the OS keyring entry for portal %q is damaged; run hsadmin login --portal %s again", portal, portal)
			}
			return r.credential(portal), nil
		case !errors.Is(err, ErrNotFound):
			keyringErr = err
		}
	}
	c, err := s.file.load(portal)
	if errors.Is(err, ErrNotFound) && keyringErr != nil {
		return Credential{}, fmt.Errorf("cannot read the OS keyring (%v), and %s has no entry for portal %q: %w", keyringErr, s.file.path, portal, ErrNotFound)
	}
	return c, err
}

// Save stores c under c.Portal: in the keyring when it takes it, otherwise
// in the file.
func (s *Store) Save(c Credential) error {
	if c.Portal == "" {
		return errors.New("credential has no portal name")
	}
	if s.keyring != nil {
		data, err := json.Marshal(toRecord(c))
		if err != nil {
			return err
		}
		if err := s.keyring.Set(keyringService, c.Portal, string(data)); err == nil {
			// A copy left in the file from an earlier fallback would go stale.
			if err := s.file.delete(c.Portal); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			return nil
		}
		// The keyring refused (locked, too big for Windows' 2.5 kB, ...): the
		// file is the documented fallback.
	}
	return s.file.save(c)
}

// Delete removes the portal's credential from both places; it wraps
// ErrNotFound when there was none.
func (s *Store) Delete(portal string) error {
	found := false
	if s.keyring != nil {
		err := s.keyring.Delete(keyringService, portal)
		switch {
		case err == nil:
			found = true
		case !errors.Is(err, ErrNotFound):
			return fmt.Errorf("cannot delete from the OS keyring: %w", err)
		}
	}
	err := s.file.delete(portal)
	switch {
	case err == nil:
		found = true
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if !found {
		return fmt.Errorf("portal %q: %w", portal, ErrNotFound)
	}
	return nil
}

// Where says where the portal's credential is stored: "OS keyring", the
// file's path, or "" when it is not stored.
func (s *Store) Where(portal string) string {
	if s.keyring != nil {
		if _, err := s.keyring.Get(keyringService, portal); err == nil {
			return "OS keyring"
		}
	}
	if _, err := s.file.load(portal); err == nil {
		return s.file.path
	}
	return ""
}

// osKeyring adapts github.com/zalando/go-keyring.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	s, err := keyring.Get(service, user)
	return s, notFound(err)
}

func (osKeyring) Set(service, user, secret string) error { return keyring.Set(service, user, secret) }

func (osKeyring) Delete(service, user string) error { return notFound(keyring.Delete(service, user)) }

func notFound(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// fileStore is the fallback: one JSON file holding every portal, mode 0600.
type fileStore struct {
	mu   sync.Mutex
	path string
}

type fileContents struct {
	Version int               `json:"version"`
	Portals map[string]record `json:"portals"`
}

// PermissionError is returned for a credentials file that other users can
// read or change.
type PermissionError struct {
	Path string
	Mode os.FileMode
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("refusing to use %s: its mode %04o lets other users read or change it; fix it with: chmod 600 %s", e.Path, e.Mode.Perm(), e.Path)
}

func (f *fileStore) read() (fileContents, error) {
	empty := fileContents{Version: 1, Portals: map[string]record{}}
	fh, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return empty, fmt.Errorf("cannot read credentials: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return empty, fmt.Errorf("cannot read credentials: %w", err)
	}
	if !st.Mode().IsRegular() {
		return empty, fmt.Errorf("refusing to use %s: it is not a regular file", f.path)
	}
	if insecureMode(st.Mode()) {
		return empty, &PermissionError{Path: f.path, Mode: st.Mode()}
	}
	var c fileContents
	if err := json.NewDecoder(fh).Decode(&c); err != nil {
		// The decoder's message may quote the file's bytes, i.e. tokens.
		return empty, fmt.Errorf("%s is damaged and cannot be read; delete it and run hsadmin login again", f.path)
	}
	if c.Portals == nil {
		c.Portals = map[string]record{}
	}
	return c, nil
}

func (f *fileStore) load(portal string) (Credential, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.read()
	if err != nil {
		return Credential{}, err
	}
	r, ok := c.Portals[portal]
	if !ok {
		return Credential{}, fmt.Errorf("portal %q: %w", portal, ErrNotFound)
	}
	return r.credential(portal), nil
}

func (f *fileStore) save(cred Credential) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.read()
	if err != nil {
		return err
	}
	c.Portals[cred.Portal] = toRecord(cred)
	return f.write(c)
}

func (f *fileStore) delete(portal string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := os.Stat(f.path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("portal %q: %w", portal, ErrNotFound)
	}
	c, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := c.Portals[portal]; !ok {
		return fmt.Errorf("portal %q: %w", portal, ErrNotFound)
	}
	delete(c.Portals, portal)
	return f.write(c)
}

// write replaces the file atomically; the temporary file is 0600 from the
// start so the secrets are never readable by others, even for a moment.
func (f *fileStore) write(c fileContents) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".credentials-*.json") // CreateTemp uses mode 0600
	if err != nil {
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("cannot save credentials: %w", err)
	}
	return nil
}
