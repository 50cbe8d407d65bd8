package pluginhost

import (
	"encoding/json"
	"strings"
	"sync"
)

// Bounds of what is kept of a plugin's stderr. A Go panic with the stack
// of the goroutine that panicked fits in tailLines; a line longer than
// tailLineBytes is cut, so the tail never holds more than about 32 KiB.
const (
	tailLines     = 64
	tailLineBytes = 512
	// reportLines is how many lines of the tail an error shows.
	reportLines = 12
)

// stderrTail keeps the last lines a plugin process wrote to stderr, so that
// a plugin that dies while it is launched is reported with its own last
// words (a panic and the top of its stack) and not only with go-plugin's
// view of the handshake ("Unrecognized remote plugin message"). go-plugin
// writes every line to it (ClientConfig.Stderr) besides routing the
// plugin's structured log lines into the host's log.
type stderrTail struct {
	mu    sync.Mutex
	lines []string // the last tailLines complete lines, oldest first
	cur   []byte   // the line being written, up to tailLineBytes
	cut   bool     // cur was cut
}

func (t *stderrTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := strings.IndexByte(string(p), '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := tailLineBytes - len(t.cur); len(chunk) > room {
			chunk, t.cut = chunk[:room], true
		}
		t.cur = append(t.cur, chunk...)
		if i < 0 {
			break
		}
		t.endLine()
		p = p[i+1:]
	}
	return n, nil
}

// endLine moves the current line into the ring. t.mu is held.
func (t *stderrTail) endLine() {
	line := string(t.cur)
	if t.cut {
		line += " [...]"
	}
	t.cur, t.cut = t.cur[:0], false
	if len(t.lines) == tailLines {
		copy(t.lines, t.lines[1:])
		t.lines = t.lines[:tailLines-1]
	}
	t.lines = append(t.lines, line)
}

// report returns what is worth showing of the tail, one line per line: from
// the first panic or fatal runtime error on, if there is one; else the last
// lines that are not the plugin's ordinary log (raw output, and log lines
// at error level, shown as "[ERROR] message"). At most reportLines lines;
// "" when there is nothing to show. Call it once the process has exited
// and go-plugin is done reading its stderr (after process.kill).
func (t *stderrTail) report() string {
	t.mu.Lock()
	lines := append([]string(nil), t.lines...)
	if len(t.cur) > 0 {
		lines = append(lines, string(t.cur))
	}
	t.mu.Unlock()
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			lines = lines[i:min(len(lines), i+reportLines)]
			return strings.TrimRight(strings.Join(lines, "\n"), "\n ")
		}
	}
	var shown []string
	for _, l := range lines {
		if s, ok := worthShowing(l); ok {
			shown = append(shown, s)
		}
	}
	shown = shown[max(0, len(shown)-reportLines):]
	return strings.Join(shown, "\n")
}

// worthShowing says whether a stderr line belongs in an error, and how to
// show it. A structured log line (sdk.Logger's JSON) is already in the
// host's log; only one at error level is repeated.
func worthShowing(line string) (string, bool) {
	if strings.TrimSpace(line) == "" {
		return "", false
	}
	var entry struct {
		Level   string `json:"@level"`
		Message string `json:"@message"`
		Error   string `json:"error"`
	}
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &entry) != nil || entry.Message == "" {
		return line, true
	}
	if entry.Level != "error" {
		return "", false
	}
	if entry.Error != "" {
		return "[ERROR] " + entry.Message + ": " + entry.Error, true
	}
	return "[ERROR] " + entry.Message, true
}

// withStderr appends a plugin's last words to an error message.
func withStderr(msg, stderr string) string {
	if stderr == "" {
		return msg
	}
	return msg + "\nThe plugin's stderr ended with:\n    " + strings.ReplaceAll(stderr, "\n", "\n    ")
}
