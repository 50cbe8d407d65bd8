package bunt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/tidwall/buntdb"
)

// buntdb appends a transaction to its file as a series of SET and DEL
// commands, in one write, and on Open replays every whole command, dropping
// only a command cut short at the end. A process killed during that write
// (Linux ends a write to a file early for a fatal signal) leaves a prefix
// of the transaction: an intent deleted but its job still pending, say,
// and the job would send its DM again. Nor can the commands' order help,
// since buntdb writes them in map order.
//
// So each Update here is two appends: the transaction, then a commit mark
// (commitKey), a single command, with one fsync for both. On Open, before
// buntdb reads the file, whatever follows the last mark is cut: the writes
// of an Update that had not returned, whole or torn. A file without any
// mark (one written before marks existed) is read as it is.
//
// buntdb's shrink rewrites the file as a SET of every key in key order,
// then the commands appended meanwhile. commitKey sorts after every other
// key, so the rewritten part ends with a mark too.
const commitKey = "~commit"

// commit applies writes in one buntdb transaction, then writes the commit
// mark that makes it count on the next Open, and syncs both to disk.
func (s *Store) commit(apply func(*buntdb.Tx) error) error {
	if err := s.syncPolicy(buntdb.Never); err != nil {
		return err
	}
	if err := s.db.Update(apply); err != nil {
		return err
	}
	if err := s.syncPolicy(buntdb.Always); err != nil {
		return err
	}
	return s.db.Update(func(tx *buntdb.Tx) error {
		_, _, err := tx.Set(commitKey, "", nil)
		return err
	})
}

// syncPolicy sets whether buntdb syncs the file after each transaction.
func (s *Store) syncPolicy(p buntdb.SyncPolicy) error {
	s.config.SyncPolicy = p
	return s.db.SetConfig(s.config)
}

// dropUncommitted cuts the file at path after its last commit mark (see
// above), and reports how many bytes it cut. A missing file, or one
// without a mark, is left alone.
func dropUncommitted(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	end, err := lastCommit(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if end < 0 || end == fi.Size() {
		return 0, nil
	}
	if err := f.Truncate(end); err != nil {
		return 0, err
	}
	return fi.Size() - end, f.Sync()
}

// lastCommit reads buntdb's append-only file (RESP arrays of bulk strings,
// perhaps with NUL bytes between commands) and returns the offset just
// past its last commit mark, or -1 if it has none. It stops at the first
// command that is cut short or unreadable: buntdb drops a cut command, and
// refuses an unreadable one on its own Open.
func lastCommit(r *bufio.Reader) (int64, error) {
	var off, last int64 = 0, -1
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			return last, nil
		}
		if err != nil {
			return 0, err
		}
		if c == 0 {
			off++
			continue
		}
		if err := r.UnreadByte(); err != nil {
			return 0, err
		}
		args, n, err := readCommand(r)
		if err != nil {
			return last, nil
		}
		off += n
		if len(args) >= 2 && (args[0] == "set" || args[0] == "SET") && args[1] == commitKey {
			last = off
		}
	}
}

// readCommand reads one RESP array of bulk strings and the bytes it took.
// It keeps only the first two arguments (the command and the key), and of
// those only short ones: enough to tell a commit mark.
func readCommand(r *bufio.Reader) (args []string, n int64, err error) {
	count, k, err := readHeader(r, '*')
	if err != nil {
		return nil, 0, err
	}
	n += k
	for i := 0; i < count; i++ {
		size, k, err := readHeader(r, '$')
		if err != nil {
			return nil, 0, err
		}
		n += k
		if i < 2 && size <= len(commitKey) {
			buf := make([]byte, size)
			if _, err := io.ReadFull(r, buf); err != nil {
				return nil, 0, err
			}
			args = append(args, string(buf))
		} else {
			if _, err := r.Discard(size); err != nil {
				return nil, 0, err
			}
			args = append(args, "")
		}
		if crlf, err := r.Peek(2); err != nil || string(crlf) != "\r\n" {
			return nil, 0, errors.New("bulk string without CRLF")
		}
		r.Discard(2)
		n += int64(size) + 2
	}
	return args, n, nil
}

// readHeader reads a RESP line "<kind><number>\r\n".
func readHeader(r *bufio.Reader, kind byte) (int, int64, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return 0, 0, err
	}
	if len(line) < 4 || line[0] != kind || line[len(line)-2] != '\r' {
		return 0, 0, fmt.Errorf("bad RESP header %q", line)
	}
	v, err := strconv.Atoi(line[1 : len(line)-2])
	if err != nil || v < 0 {
		return 0, 0, fmt.Errorf("bad RESP header %q", line)
	}
	return v, int64(len(line)), nil
}
