package pluginhosttest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Process is a binary a test runs as a person would, in a process group of
// its own, so that ending the group ends the plugins it launched too. Its
// output is kept as Lines to wait on.
type Process struct {
	// Stdout and Stderr are what the process wrote.
	Stdout, Stderr *Lines

	cmd    *exec.Cmd
	exited chan struct{} // closed once Wait returned
	err    error         // Wait's result, once exited is closed
}

// Start starts bin with args, with env added to this process's environment
// (a later value of a variable wins). A cleanup kills the process and its
// group, as Kill does, if the test has not ended them, and fails the test
// with every data race the process reported (a binary from Build has the
// race detector when the test does), however it ended: a process killed
// mid-run reports none of them in its exit status.
func Start(t testing.TB, bin string, env []string, args ...string) *Process {
	t.Helper()
	p := &Process{cmd: exec.Command(bin, args...), Stdout: NewLines(), Stderr: NewLines(), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.Stdout, p.Stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.Kill(t)
		p.checkRaces(t)
	})
	return p
}

// raceStart and raceEnd frame each report of the race detector.
const (
	raceStart = "WARNING: DATA RACE"
	raceEnd   = "=================="
)

// checkRaces fails the test with the reports of the race detector in the
// process's stderr, whole, so that the failure shows where the race is
// rather than the tail of a long log.
func (p *Process) checkRaces(t testing.TB) {
	t.Helper()
	var reports []string
	rest := p.Stderr.String()
	for {
		_, report, found := strings.Cut(rest, raceStart)
		if !found {
			break
		}
		report, rest, _ = strings.Cut(report, raceEnd)
		reports = append(reports, raceStart+strings.TrimRight(report, "\n"))
	}
	if len(reports) > 0 {
		t.Errorf("%s: the race detector found %d data race(s):\n%s", p, len(reports), strings.Join(reports, "\n"+raceEnd+"\n"))
	}
}

// String names the process in a message: the binary's base name and its
// arguments.
func (p *Process) String() string {
	return strings.Join(append([]string{filepath.Base(p.cmd.Path)}, p.cmd.Args[1:]...), " ")
}

// Exited is closed once the process has exited and its output is
// complete: a child it left holding its stdout or stderr keeps Exited
// open until the group is killed.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err is how the process exited (exec.Cmd.Wait's error: nil for status
// 0), once Exited is closed.
func (p *Process) Err() error { return p.err }

// loopbackURL is the address a server of the test prints.
var loopbackURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// Address waits for the first line of the process's stderr that contains
// text and returns the loopback URL (http://127.0.0.1:PORT) in it: where a
// server started on port 0 listens. The test fails if the process exits
// or ctx ends first, or if the line holds no such URL.
func (p *Process) Address(t testing.TB, ctx context.Context, text string) string {
	t.Helper()
	line, err := p.Stderr.WaitFor(ctx, p.exited, text, 1)
	if err != nil {
		t.Fatalf("%s never printed %q: %v\nstderr:\n%s", p, text, err, p.Stderr)
	}
	u := loopbackURL.FindString(line)
	if u == "" {
		t.Fatalf("no loopback URL in %q", line)
	}
	return u
}

// Kill kills the process group with SIGKILL, as a crash would, waits for
// the process and checks that none of its group is left. It is a no-op
// once all are gone.
func (p *Process) Kill(t testing.TB) {
	t.Helper()
	pgid := p.cmd.Process.Pid
	select {
	case <-p.exited:
		// The group id stays taken while any member lives, so signalling it
		// cannot reach a process this test did not start.
		if GroupAlive(pgid) {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
	default:
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	}
	// The plugins are the process's children, not ours, so they cannot be
	// waited for: look until the kernel has removed them.
	deadline := time.Now().Add(5 * time.Second)
	for GroupAlive(pgid) {
		if time.Now().After(deadline) {
			t.Errorf("process group %d still has live processes after SIGKILL", pgid)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stopWithin is how long Stop and Shutdown give a process to exit after
// SIGTERM.
const stopWithin = 10 * time.Second

// Stop ends the process with SIGTERM, as a person's Ctrl-C would, and
// expects it to exit cleanly within 10 seconds. One that does not fails
// the test and is killed as Kill does.
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	if !p.terminate(t) {
		p.Kill(t)
		return
	}
	if p.err != nil {
		t.Errorf("%s exited with %v after SIGTERM\nstderr:\n%s", p, p.err, p.Stderr)
	}
}

// Shutdown ends a process the test used rather than checked, such as a
// server it ran for a browser: SIGTERM, up to 10 seconds to exit (the test
// fails if it takes longer), then SIGKILL for whatever is left of its
// group. Unlike Stop it does not judge how the process exited. If the test
// has failed, it logs the process's stderr, which no other message
// printed.
func (p *Process) Shutdown(t testing.TB) {
	t.Helper()
	p.terminate(t)
	// The group id stays taken while any member lives, so this reaches no
	// process the test did not start.
	if pgid := p.cmd.Process.Pid; GroupAlive(pgid) {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	<-p.exited
	if t.Failed() {
		t.Logf("%s stderr:\n%s", p, p.Stderr)
	}
}

// terminate sends SIGTERM and reports whether the process exited within
// stopWithin, failing the test if it did not.
func (p *Process) terminate(t testing.TB) bool {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return true
	case <-time.After(stopWithin):
		t.Errorf("%s did not stop within %v of SIGTERM", p, stopWithin)
		return false
	}
}
