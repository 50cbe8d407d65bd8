package pluginhosttest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
)

// ErrExited is what Lines.WaitFor returns when the process it waited on
// exited without writing the line.
var ErrExited = errors.New("the process exited")

// Lines is an io.Writer that keeps what it is given as lines and signals
// each write, so that a test can wait for a line a process writes instead
// of sleeping. Make one with NewLines.
type Lines struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
	grew    chan struct{}
}

// NewLines returns an empty Lines.
func NewLines() *Lines { return &Lines{grew: make(chan struct{}, 1)} }

// Write implements io.Writer.
func (l *Lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	l.mu.Unlock()
	select {
	case l.grew <- struct{}{}:
	default:
	}
	return len(p), nil
}

// String returns everything written so far, the unfinished last line
// included.
func (l *Lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n") + "\n" + string(l.partial)
}

// Count counts the lines so far that contain text.
func (l *Lines) Count(text string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, text) {
			n++
		}
	}
	return n
}

// WaitFor waits for the n-th line (1 for the first) that contains text and
// returns it. It returns ErrExited once exited is closed without it: the
// output of a process is complete by then (exec.Cmd.Wait returns after it
// is copied), so a last look decides. exited may belong to another process
// than the writer's, for a test that waits for what a server logs while a
// client runs.
func (l *Lines) WaitFor(ctx context.Context, exited <-chan struct{}, text string, n int) (string, error) {
	for done := false; ; {
		if line, ok := l.find(text, n); ok {
			return line, nil
		}
		if done {
			return "", ErrExited
		}
		select {
		case <-l.grew:
		case <-exited:
			done = true
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func (l *Lines) find(text string, n int) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, text) {
			if n--; n == 0 {
				return line, true
			}
		}
	}
	return "", false
}
