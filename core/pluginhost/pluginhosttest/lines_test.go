package pluginhosttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestLinesWaitFor(t *testing.T) {
	tests := []struct {
		name    string
		writes  []string
		exited  bool
		text    string
		n       int
		want    string
		wantErr error
	}{
		{name: "first", writes: []string{"a one\nb\n", "a two\n"}, text: "a", n: 1, want: "a one"},
		{name: "n-th across writes", writes: []string{"a one\nb\na t", "wo\n"}, text: "a", n: 2, want: "a two"},
		{name: "unfinished line is not a line", writes: []string{"a one\na two"}, exited: true, text: "two", n: 1, wantErr: ErrExited},
		{name: "too few once exited", writes: []string{"a one\n"}, exited: true, text: "a", n: 2, wantErr: ErrExited},
		{name: "found although exited", writes: []string{"a one\n"}, exited: true, text: "one", n: 1, want: "a one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLines()
			for _, w := range tt.writes {
				fmt.Fprint(l, w)
			}
			exited := make(chan struct{})
			if tt.exited {
				close(exited)
			}
			got, err := l.WaitFor(context.Background(), exited, tt.text, tt.n)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("WaitFor(%q, %d) = %q, %v; want %q, %v", tt.text, tt.n, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestLinesWaitForWrite waits for a line another goroutine writes later.
func TestLinesWaitForWrite(t *testing.T) {
	l := NewLines()
	go func() {
		for _, w := range []string{"starting\n", "listening on ", "http://127.0.0.1:1\n"} {
			fmt.Fprint(l, w)
		}
	}()
	got, err := l.WaitFor(context.Background(), nil, "listening", 1)
	if err != nil || got != "listening on http://127.0.0.1:1" {
		t.Errorf("WaitFor = %q, %v", got, err)
	}
}

func TestLinesWaitForContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewLines().WaitFor(ctx, nil, "never", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitFor with a canceled context: %v", err)
	}
}

func TestLinesCountAndString(t *testing.T) {
	l := NewLines()
	fmt.Fprint(l, "message sent\nother\nmessage sent\nmessage")
	if n := l.Count("message sent"); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
	if s, want := l.String(), "message sent\nother\nmessage sent\nmessage"; s != want {
		t.Errorf("String = %q, want %q", s, want)
	}
}
