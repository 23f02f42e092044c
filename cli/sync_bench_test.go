package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// BenchmarkSyncFromSandboxCommand runs `hsadmin sync` against `hsadmin
// sandbox --contacts 100000` (unthrottled) served on a real 127.0.0.1
// listener, both through Run, the code path of the commands: the sandbox
// announces its budget and the sync's client, on its cautious default until
// then, keeps to it. Compare with the in-process figure of portal's
// BenchmarkFullSync, whose client has no limits at all.
//
//	go test -run '^$' -bench SyncFromSandboxCommand -benchtime 1x ./cli
func BenchmarkSyncFromSandboxCommand(b *testing.B) {
	const contacts = 100_000
	base, token := startSandboxCommand(b, "--contacts", "100000", "--listen", "127.0.0.1:0")
	env := newTestEnv(b)
	env.setenv("HUBSPOT_BASE_URL", base)
	env.setenv("HUBSPOT_ACCESS_TOKEN", token)

	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dataDir := b.TempDir()
		var out, errOut bytes.Buffer
		b.StartTimer()
		code := Run(ctx, []string{"sync", "--full", "--data-dir", dataDir}, env.deps("", &out, &errOut))
		b.StopTimer()
		if code != exitOK {
			b.Fatalf("sync: exit %d: %s", code, errOut.String())
		}
		if !strings.Contains(out.String(), "100,000 contacts") {
			b.Fatalf("sync did not report 100,000 contacts: %s", out.String())
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(contacts)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

// startSandboxCommand runs `hsadmin sandbox args…` until the benchmark ends
// and returns the base URL and token it prints.
func startSandboxCommand(b *testing.B, args ...string) (base, token string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		deps := newTestEnv(b).deps("", nil, nil)
		deps.Stdout, deps.Stderr = pw, io.Discard
		done <- Run(ctx, append([]string{"sandbox"}, args...), deps)
		pw.Close()
	}()
	b.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			b.Error("the sandbox did not stop")
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() && (base == "" || token == "") {
		if v, ok := strings.CutPrefix(lines.Text(), "export HUBSPOT_BASE_URL="); ok {
			base = v
		}
		if v, ok := strings.CutPrefix(lines.Text(), "export HUBSPOT_ACCESS_TOKEN="); ok {
			token = v
		}
	}
	go io.Copy(io.Discard, pr) // the rest of what it prints
	if base == "" || token == "" {
		b.Fatal("hsadmin sandbox printed no base URL and token")
	}
	return base, token
}
