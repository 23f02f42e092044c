package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const (
	accessTok  = "pat-na1-11111111-SECRET-ACCESS"
	refreshTok = "r3fresh-SECRET-REFRESH"
	clientSec  = "cl1ent-SECRET-CLIENT"
)

func sample() Credential {
	return Credential{Portal: "prod", Method: MethodOAuth, AccessToken: accessTok, RefreshToken: refreshTok,
		Expiry: time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC), ClientID: "client-123", ClientSecret: clientSec, HubID: 62515}
}

func assertNoSecrets(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range []string{accessTok, refreshTok, clientSec, "SECRET"} {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks a secret: %s", where, s)
		}
	}
}

func TestCredentialNeverPrintsSecrets(t *testing.T) {
	c := sample()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		assertNoSecrets(t, verb, fmt.Sprintf(verb, c))
		assertNoSecrets(t, verb+" of a pointer", fmt.Sprintf(verb, &c))
	}
	assertNoSecrets(t, "Println", fmt.Sprintln(c, []Credential{c}, map[string]Credential{"a": c}))
	assertNoSecrets(t, "nested struct", fmt.Sprintf("%+v", struct{ C Credential }{c}))

	js, err := json.Marshal(struct{ C Credential }{c})
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, "json", string(js))

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("loaded", "cred", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("loaded", "cred", c)
	assertNoSecrets(t, "slog", buf.String())

	s := c.String()
	for _, want := range []string{`portal="prod"`, "hub=62515", "access_token=[redacted]", "refresh_token=[redacted]", `client_id="client-123"`, "expiry=2026-03-01T12:30:00Z"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %s; missing %s", s, want)
		}
	}
	if got := (Credential{Portal: "p", Method: MethodToken}).String(); !strings.Contains(got, "access_token=(none)") {
		t.Errorf("empty token shows as %s", got)
	}
}

// fakeKeyring is an in-memory keyring; broken makes every call fail as a
// keyring without a D-Bus secret service does.
type fakeKeyring struct {
	m      map[string]string
	broken error
	setErr error
}

func (k *fakeKeyring) Get(service, user string) (string, error) {
	if k.broken != nil {
		return "", k.broken
	}
	v, ok := k.m[service+"/"+user]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (k *fakeKeyring) Set(service, user, secret string) error {
	if k.broken != nil {
		return k.broken
	}
	if k.setErr != nil {
		return k.setErr
	}
	k.m[service+"/"+user] = secret
	return nil
}

func (k *fakeKeyring) Delete(service, user string) error {
	if k.broken != nil {
		return k.broken
	}
	if _, ok := k.m[service+"/"+user]; !ok {
		return ErrNotFound
	}
	delete(k.m, service+"/"+user)
	return nil
}

func TestKeyringStore(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{m: map[string]string{}}
	s := New(dir, usableKeyring(kr))
	if !s.UsesKeyring() {
		t.Fatal("a working keyring was not used")
	}
	if _, err := s.Load("prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load of nothing: %v", err)
	}
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file was written although the keyring works: %v", err)
	}
	got, err := s.Load("prod")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Expiry.Equal(sample().Expiry) || got.AccessToken != accessTok || got.RefreshToken != refreshTok || got.ClientSecret != clientSec || got.HubID != 62515 || got.ClientID != "client-123" || got.Method != MethodOAuth {
		t.Errorf("round trip: %v", got)
	}
	if w := s.Where("prod"); w != "OS keyring" {
		t.Errorf("Where = %q", w)
	}
	if err := s.Delete("prod"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("prod"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
}

func TestFallsBackToFileWithoutKeyring(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{broken: errors.New(`exec: "dbus-launch": executable file not found in $PATH`)}
	s := New(dir, usableKeyring(kr))
	if s.UsesKeyring() {
		t.Fatal("a broken keyring was used")
	}
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %04o, want 0600", st.Mode().Perm())
	}
	got, err := s.Load("prod")
	if err != nil || got.RefreshToken != refreshTok {
		t.Fatalf("Load: %v %v", got, err)
	}
	other := sample()
	other.Portal, other.AccessToken = "sandbox", "pat-other"
	if err := s.Save(other); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load("prod"); got.AccessToken != accessTok {
		t.Errorf("saving another portal changed prod: %v", got)
	}
	if w := s.Where("sandbox"); w != path {
		t.Errorf("Where = %q, want %q", w, path)
	}
	if err := s.Delete("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("prod"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}
	if got, err := s.Load("sandbox"); err != nil || got.AccessToken != "pat-other" {
		t.Errorf("Delete removed the wrong portal: %v %v", got, err)
	}
}

func TestKeyringRefusesSetFallsBackToFile(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{m: map[string]string{}, setErr: errors.New("data passed to Set was too big")}
	s := New(dir, usableKeyring(kr))
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load("prod"); err != nil || got.AccessToken != accessTok {
		t.Fatalf("Load: %v %v", got, err)
	}
	// Once the keyring takes the credential, the stale file copy goes.
	kr.setErr = nil
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	if w := s.Where("prod"); w != "OS keyring" {
		t.Errorf("Where = %q", w)
	}
	if _, err := s.file.load("prod"); !errors.Is(err, ErrNotFound) {
		t.Errorf("file copy left behind: %v", err)
	}
}

func TestRefusesFileOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes")
	}
	dir := t.TempDir()
	s := New(dir, nil)
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := s.Load("prod")
		var pe *PermissionError
		if !errors.As(err, &pe) {
			t.Fatalf("mode %04o: got %v, want a PermissionError", mode, err)
		}
		want := "chmod 600 " + path
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprintf("%04o", mode)) {
			t.Errorf("error %q does not name the mode and the fix %q", err, want)
		}
		if err := s.Save(sample()); !errors.As(err, &pe) {
			t.Errorf("mode %04o: Save went ahead: %v", mode, err)
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("prod"); err != nil {
		t.Errorf("after chmod 600: %v", err)
	}
}

func TestDamagedFileErrorHidesContents(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(`{"portals":{"prod":{"access_token":"`+accessTok+`"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(dir, nil).Load("prod")
	if err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("got %v", err)
	}
	assertNoSecrets(t, "damaged-file error", err.Error())
}

func TestOpenOnThisMachine(t *testing.T) {
	// Whatever the machine offers, Open gives a store that works: the OS
	// keyring or, without a Secret Service, the file. Point the real keyring
	// at nothing it could damage by using a portal name unique to the test.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	s := Open(t.TempDir())
	if s.UsesKeyring() {
		t.Skip("a real keyring is available; not writing test secrets to it")
	}
	c := sample()
	c.Portal = "hsadmin-test-portal"
	if err := s.Save(c); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(c.Portal); err != nil || got.AccessToken != accessTok {
		t.Fatalf("Load: %v %v", got, err)
	}
}
