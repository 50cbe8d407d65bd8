package bunt

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The lock file of a data dir is flocked by the process that holds the
// dir, and says who that is: its first line names the holder, and, once a
// server holding it listens, a line "api URL" gives the base URL of its
// REST API, so that a command that needs the data dir meanwhile can go
// through that server instead.
const (
	lockFile  = "outreach.lock"
	apiPrefix = "api "
)

// LockedError is Open's answer when another process holds the data dir.
// It is ErrLocked (errors.Is) and says who holds the dir and where its API
// listens, if it announced one.
type LockedError struct {
	Dir string
	// Holder names the process ("outreach serve (pid 42)").
	Holder string
	// API is the base URL of the holder's REST API ("http://127.0.0.1:8080"),
	// or "" if it announced none: it serves none, or does not listen yet.
	API string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v: %s is held by %s; stop that process or use another data dir", ErrLocked, e.Dir, e.Holder)
}

// Is makes a LockedError ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// readLocked reads the lock file of dir, which another process holds.
func readLocked(dir string) *LockedError {
	b, _ := os.ReadFile(filepath.Join(dir, lockFile))
	e := &LockedError{Dir: dir}
	text := string(b)
	for i := 0; text != ""; i++ {
		line, rest, complete := strings.Cut(text, "\n")
		text = rest
		switch {
		case i == 0:
			e.Holder = strings.TrimSpace(line)
		// An incomplete last line is one being written: not an address yet.
		case complete && strings.HasPrefix(line, apiPrefix):
			e.API = strings.TrimSpace(strings.TrimPrefix(line, apiPrefix))
		}
	}
	if e.Holder == "" {
		e.Holder = "another process"
	}
	return e
}

// Announce records in the lock file that the holder serves its REST API at
// apiURL ("http://127.0.0.1:8080"), for the commands that meet the lock
// meanwhile (LockedError.API).
//
// The file is rewritten in place, never replaced: the flock is on this
// file. Its new text starts with the old, so a reader sees the holder
// whatever moment it reads at, and an address only once its line is whole.
func (s *Store) Announce(apiURL string) error {
	if strings.ContainsAny(apiURL, "\r\n") {
		return fmt.Errorf("announce the API: %q is not a URL", apiURL)
	}
	text := s.holder + "\n" + apiPrefix + apiURL + "\n"
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("announce the API: %w", err)
	}
	_, err = f.WriteAt([]byte(text), 0)
	if err == nil {
		err = f.Truncate(int64(len(text)))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("announce the API: %w", err)
	}
	return nil
}
