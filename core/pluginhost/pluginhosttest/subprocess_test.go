package pluginhosttest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// failures is a testing.TB that records the test's errors instead of
// failing it, to test how Process ends report.
type failures struct {
	testing.TB
	errors []string
}

func (f *failures) Helper() {}

func (f *failures) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// TestProcessEnds ends a shell that sets a trap for SIGTERM, and has a
// child in its group, in each of Process's ways.
func TestProcessEnds(t *testing.T) {
	tests := []struct {
		name    string
		onTerm  string // the shell's trap for SIGTERM
		end     func(*Process, testing.TB)
		wantErr string // in the error the end reports; "" for none
	}{
		{name: "stop, clean exit", onTerm: "exit 0", end: (*Process).Stop},
		{name: "stop, failed exit", onTerm: "exit 3", end: (*Process).Stop, wantErr: "exited with exit status 3 after SIGTERM"},
		{name: "shutdown does not judge the exit", onTerm: "exit 3", end: (*Process).Shutdown},
		{name: "kill", onTerm: "exit 0", end: (*Process).Kill},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &failures{TB: t}
			script := fmt.Sprintf(`trap %q TERM; sleep 60 >/dev/null 2>&1 & echo "child $! ready on http://127.0.0.1:8080/x" >&2; while :; do sleep 0.05; done`, tt.onTerm)
			p := Start(f, "/bin/sh", nil, "-c", script)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if u := p.Address(t, ctx, "ready on"); u != "http://127.0.0.1:8080" {
				t.Errorf("Address = %q", u)
			}
			tt.end(p, f)
			select {
			case <-p.Exited():
			default:
				t.Fatal("the process has not exited")
			}
			got := strings.Join(f.errors, "\n")
			if tt.wantErr == "" && got != "" || !strings.Contains(got, tt.wantErr) {
				t.Errorf("errors: %q, want %q", got, tt.wantErr)
			}
			// The sleep in the background outlives the shell until the group
			// is killed: the end of the test does it (Kill, which Stop and
			// Shutdown leave to it or do themselves).
			p.Kill(t)
			if GroupAlive(p.cmd.Process.Pid) {
				t.Error("the process group is alive after Kill")
			}
		})
	}
}

func TestProcessEnvAndStdout(t *testing.T) {
	p := Start(t, "/bin/sh", []string{"PLUGINHOSTTEST_WORD=hello"}, "-c", `echo "say $PLUGINHOSTTEST_WORD"`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if line, err := p.Stdout.WaitFor(ctx, p.Exited(), "say", 1); err != nil || line != "say hello" {
		t.Errorf("stdout: %q, %v", line, err)
	}
	<-p.Exited()
	if p.Err() != nil {
		t.Errorf("Err = %v", p.Err())
	}
	if s := p.String(); s != `sh -c echo "say $PLUGINHOSTTEST_WORD"` {
		t.Errorf("String = %q", s)
	}
}

// TestProcessRaces reads the race detector's reports in a process's
// stderr, among other lines, as a race-enabled binary writes them, even
// when it was killed before it could exit with them.
func TestProcessRaces(t *testing.T) {
	const report = `==================\nWARNING: DATA RACE\nWrite at 0x00c000012345 by goroutine 7:\n  main.store()\n      /src/main.go:12 +0x44\n\nPrevious read at 0x00c000012345 by goroutine 6:\n  main.load()\n      /src/main.go:8 +0x3a\n==================\n`
	script := `echo "[WARN] engine: a line of the log" >&2; printf '` + report + `' >&2; echo "[INFO] engine: another line" >&2; printf '` + strings.ReplaceAll(report, "main.store", "main.save") + `' >&2; echo done; sleep 60`
	f := &failures{TB: t}
	p := Start(f, "/bin/sh", nil, "-c", script)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := p.Stdout.WaitFor(ctx, p.Exited(), "done", 1); err != nil {
		t.Fatal(err)
	}
	p.Kill(f)
	p.checkRaces(f)
	got := strings.Join(f.errors, "\n")
	for _, want := range []string{"found 2 data race(s)", "main.store()", "main.save()", "Previous read at 0x00c000012345 by goroutine 6"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors: %q, want %q in them", got, want)
		}
	}
	// The message names the process (its script), then the reports alone.
	if _, reports, _ := strings.Cut(got, "data race(s):"); strings.Contains(reports, "a line of the log") || strings.Contains(reports, "another line") {
		t.Errorf("reports: %q, want only the race detector's", reports)
	}

	clean := Start(f, "/bin/sh", nil, "-c", `echo "[WARN] WARNING: nothing raced" >&2`)
	<-clean.Exited()
	f.errors = nil
	clean.checkRaces(f)
	if len(f.errors) > 0 {
		t.Errorf("a process without races: %q", f.errors)
	}
}
