package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitInterrupted is the status of a command stopped by SIGINT or SIGTERM
// (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// interruptedError is a command stopped by the admin: it says what is left
// and how to go on, and exits with exitInterrupted.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return e.msg }

func interruptedf(format string, a ...any) error { return interruptedError{fmt.Sprintf(format, a...)} }

// OnInterrupts returns a context that the first SIGINT or SIGTERM cancels:
// a job then stops after the batch in flight and the command says how to
// resume it. A second signal exits at once with exitInterrupted, without
// waiting for the batch: the journal stays consistent (every write is
// journaled before it is sent), and the next start shows the job
// interrupted. stop releases the signals.
func OnInterrupts(parent context.Context, errOut io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		fmt.Fprintln(errOut, "\nhsadmin: interrupted: stopping after the batch in flight (interrupt again to quit at once)")
		cancel()
		select {
		case <-sigs:
		case <-done:
			return
		}
		fmt.Fprintln(errOut, "\nhsadmin: quitting at once; the journal is consistent: `hsadmin jobs` shows the job interrupted and what is left, `hsadmin jobs resume JOB` finishes it")
		exit(exitInterrupted)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// interrupted reports whether err is the admin stopping the command.
func interrupted(err error) bool {
	var ie interruptedError
	return errors.As(err, &ie) || errors.Is(err, context.Canceled)
}

// interruptHelp is what the --help of every command running a job says
// about Ctrl+C.
const interruptHelp = `Ctrl+C (SIGINT or SIGTERM) stops after the batch in flight, prints how to resume
(hsadmin jobs resume JOB) and exits 130; a second Ctrl+C exits at once. The journal stays consistent
(every write is journaled before it is sent) and the job shows "interrupted" at the next start.`
