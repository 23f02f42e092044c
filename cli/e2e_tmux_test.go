package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the built binary in a real terminal: tmux gives it a
// pty of a fixed size, keys go in with send-keys and the screen comes back
// with capture-pane, exactly what an admin would see.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func (s *tmuxSession) screen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-t", s.name)
}

// waitGone polls the screen until gone is off it, for at most 20 s.
func (s *tmuxSession) waitGone(step, gone string) {
	s.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		screen := s.screen()
		if !strings.Contains(screen, gone) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %q stayed on the screen:\n%s", step, gone, screen)
		}
	}
}

// waitFor polls the screen until every want is on it, for at most 20 s.
func (s *tmuxSession) waitFor(step string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := s.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %q never appeared on the screen:\n%s", step, missing, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func startTmux(t *testing.T, width, height int, command string, env []string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("hsadmin-e2e-%d", os.Getpid()), name: "console"}
	args := []string{"new-session", "-d", "-s", s.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	s.tmux(append(args, command)...)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

// newcomerEnv is the environment of an admin who never configured hsadmin:
// no token, no config file, an empty cache.
func newcomerEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"HUBSPOT_ACCESS_TOKEN=", "HUBSPOT_BASE_URL=", "TERM=xterm-256color",
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hsadmin")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/hsadmin/hsadmin").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestConsoleInTmux opens the console on the built-in sandbox in a real
// terminal and walks through what a newcomer does first.
func TestConsoleInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	bin := buildBinary(t)
	env := newcomerEnv(t)
	fx := builtInFixtures()
	s := startTmux(t, 120, 40, bin+" 2>/dev/null; echo EXITED $?; sleep 30", env)

	// Opens on the sandbox, already synced, users | owners | contacts.
	s.waitFor("start", "1 users", "2 owners", "3 contacts", "SANDBOX", "synced")

	// Move: the detail pane follows the selection.
	first := detailTitle(s.screen())
	s.keys("j")
	deadline := time.Now().Add(10 * time.Second)
	for detailTitle(s.screen()) == first {
		if time.Now().After(deadline) {
			t.Fatalf("j did not move the selection from %q:\n%s", first, s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Filter the users pane incrementally.
	s.keys("/", "Elena")
	// The rows before the filter hold Elena Silva too: wait until the
	// filtered page has replaced them (it is asked for off the key loop).
	screen := s.waitFor("filter", "/Elena", "Elena Silva")
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(screen, "Aisha Jensen") && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		screen = s.screen()
	}
	if strings.Contains(screen, "Aisha Jensen") {
		t.Errorf("the filter left unmatched users on screen:\n%s", screen)
	}
	s.keys("Enter")

	// Switch panes: the owners pane's selection drives the detail pane.
	s.keys("2")
	s.waitFor("owners pane", "─ owner ")

	// Help, generated from the keymap.
	s.keys("?")
	s.waitFor("help", "filter the focused pane", "next pane")
	// A key right behind ESC would read as alt+key, as in any terminal
	// program; wait for the help to close first. The panes stay drawn under an
	// overlay, so what tells it is closed is the help's text going.
	s.keys("Escape")
	s.waitGone("help closed", "filter the focused pane")
	s.waitFor("help closed", "─ owner ")
	// The panes show around the help box: wait until the box itself is gone.
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(s.screen(), "─ help ─") && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}

	// Resolve a number that is one person's user ID and another's owner ID.
	s.keys(":", "id "+string(fx.CollidingUser), "Enter")
	s.waitFor("resolve", "AMBIGUOUS", "as owner ID", "as user ID")
	s.keys("Escape")
	s.waitFor("resolve closed", "─ owner ")

	s.keys("q")
	s.waitFor("quit", "EXITED 0")
}

// detailTitle is the first line of the detail pane, which names the selected
// record ("user 123" / "owner 456").
func detailTitle(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(line, "╭─ user ") || strings.HasPrefix(line, "╭─ owner ") || strings.HasPrefix(line, "╭─ contact ") {
			return line
		}
	}
	return ""
}

// TestConsoleSurvivesResizing starts the console in a 20x6 terminal, then
// grows and shrinks it: a notice when too small, the panes when it fits,
// never a crash.
func TestConsoleSurvivesResizing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	bin := buildBinary(t)
	env := append(newcomerEnv(t), "NO_COLOR=1")
	s := startTmux(t, 20, 6, bin+" 2>/dev/null; echo EXITED $?; sleep 30", env)
	s.waitFor("20x6", "too small")
	for _, size := range [][2]int{{40, 10}, {200, 60}, {25, 8}, {80, 24}} {
		s.tmux("resize-window", "-t", s.name, "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]))
		if size[0] >= 40 && size[1] >= 10 {
			s.waitFor(fmt.Sprintf("%dx%d", size[0], size[1]), "users")
		} else {
			s.waitFor(fmt.Sprintf("%dx%d", size[0], size[1]), "too small")
		}
	}
	s.keys("q")
	s.waitFor("quit", "EXITED 0")
}
