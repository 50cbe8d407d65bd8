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
