//go:build unix

package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is a PostgreSQL cluster of the test binary's own: a data
// directory and a server that listens on a unix socket only, both in a
// temporary directory removed when it stops.
type cluster struct {
	dir    string
	port   int
	cmd    *exec.Cmd
	exited chan struct{}
	// statements reports whether pg_stat_statements is loaded.
	statements bool
	// durable: commits are synced to disk.
	durable bool
}

func (c *cluster) sockDir() string { return filepath.Join(c.dir, "sock") }

// url is the connection URL of one of the cluster's databases.
func (c *cluster) url(db string) string {
	q := url.Values{"host": {c.sockDir()}, "port": {strconv.Itoa(c.port)}, "sslmode": {"disable"}}
	return (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// startCluster starts a cluster; durable makes it sync its commits to disk,
// where by default it syncs nothing (the data is thrown away).
func startCluster(ctx context.Context, durable bool) (*cluster, error) {
	initdb, postgres, err := findBinaries()
	if err != nil {
		return nil, err
	}
	// PostgreSQL refuses to run as root: as root, run it as the postgres
	// user, and give that user the directory.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs a user to run as: %w", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir, err := os.MkdirTemp("", "outreach-pg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, exited: make(chan struct{}), durable: durable}
	if err := c.start(ctx, initdb, postgres, cred); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

func (c *cluster) start(ctx context.Context, initdb, postgres string, cred *syscall.Credential) error {
	if err := os.Mkdir(c.sockDir(), 0o700); err != nil {
		return err
	}
	if cred != nil {
		for _, d := range []string{c.dir, c.sockDir()} {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return err
			}
		}
	}
	data := filepath.Join(c.dir, "data")
	var out bytes.Buffer
	cmd := c.command(initdb, cred, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "--encoding", "UTF8", "--no-locale")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out.String())
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	args := []string{"-D", data, "-k", c.sockDir(), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=", "-c", "shared_buffers=64MB", "-c", "max_connections=200"}
	if !c.durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	if statementsAvailable(postgres) {
		args = append(args, "-c", "shared_preload_libraries=pg_stat_statements")
		c.statements = true
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	c.cmd = c.command(postgres, cred, args...)
	c.cmd.Stdout, c.cmd.Stderr = log, log
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	go func() {
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	return c.waitReady(ctx, logPath)
}

// command runs a PostgreSQL binary as cred's user (if any), in its own
// process group, in the cluster's directory.
func (c *cluster) command(bin string, cred *syscall.Credential, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = sysProcAttr(cred)
	return cmd
}

// waitReady polls the server until it accepts a connection.
func (c *cluster) waitReady(ctx context.Context, logPath string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, time.Second)
		conn, err := pgx.Connect(attempt, c.url("postgres"))
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-c.exited:
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres exited while starting:\n%s", log)
		case <-ctx.Done():
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres did not accept connections: %w\n%s", err, log)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// stop stops the server at once (SIGQUIT: an immediate shutdown, as the
// data is thrown away) and removes the directory.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			// The whole group: the postmaster and its children.
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-c.exited
		}
	}
	_ = os.RemoveAll(c.dir)
}

// findBinaries finds initdb and postgres: in pg_config's bindir, else in
// the newest /usr/lib/postgresql/*/bin (Debian's layout, off the PATH),
// else on the PATH.
func findBinaries() (initdb, postgres string, err error) {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versions, func(a, b string) int { return versionOf(b) - versionOf(a) })
	dirs = append(dirs, versions...)
	for _, d := range dirs {
		i, p := filepath.Join(d, "initdb"), filepath.Join(d, "postgres")
		if executable(i) && executable(p) {
			return i, p, nil
		}
	}
	i, ierr := exec.LookPath("initdb")
	p, perr := exec.LookPath("postgres")
	if ierr != nil || perr != nil {
		return "", "", errNotFound
	}
	return i, p, nil
}

func versionOf(bindir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bindir)))
	return v
}

func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// statementsAvailable reports whether the installation of postgres has
// the pg_stat_statements extension: its control file in pg_config's
// sharedir (the pg_config beside postgres first).
func statementsAvailable(postgres string) bool {
	pgConfig := filepath.Join(filepath.Dir(postgres), "pg_config")
	if !executable(pgConfig) {
		pgConfig = "pg_config"
	}
	out, err := exec.Command(pgConfig, "--sharedir").Output()
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(strings.TrimSpace(string(out)), "extension", "pg_stat_statements.control"))
	return err == nil
}

// freePort picks a TCP port no one listens on. The server listens on none
// (listen_addresses is empty), but its socket file is named after it.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
