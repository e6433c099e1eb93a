// Package embedded runs a private PostgreSQL cluster from the server
// binaries installed on the machine (initdb, postgres), so Gatehouse and its
// tests need no separately managed database. It listens on 127.0.0.1 only,
// with trust authentication for the postgres superuser.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configures Start.
type Options struct {
	DataDir string       // cluster directory; created and initialised on first use
	BinDir  string       // holds initdb and postgres; empty = FindBinDir
	Port    int          // 0 = a free 127.0.0.1 port, chosen anew on each start
	Fast    bool         // trade durability for speed (tests): no fsync, async commit
	Logger  *slog.Logger // nil = silent
}

const (
	readyTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

// proc is one run of the server process.
type proc struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // valid once exited is closed
}

// errPortTaken marks a start that lost the race for a port chosen by us.
var errPortTaken = errors.New("port already in use")

// Cluster is a running postgres server.
type Cluster struct {
	dataDir  string
	logPath  string
	port     int
	password string   // of the postgres superuser; empty for a trust cluster made before v0.1.0
	created  []string // what Start made for a new cluster (Discard removes it)
	log      *slog.Logger
	// What a Restart needs to launch the server again as Start did.
	bin  string
	fast bool
	acct *account

	mu sync.Mutex
	p  *proc // the server process; a Restart replaces it

	stopOnce sync.Once
	stopErr  error
}

// Start initialises DataDir if it holds no cluster yet, then starts postgres
// on it and waits until it accepts connections. Server output goes to
// LogPath, next to DataDir. Stop the cluster with Stop.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	if o.DataDir == "" {
		return nil, errors.New("embedded: Options.DataDir is required")
	}
	dir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return nil, err
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin := o.BinDir
	if bin == "" {
		if bin, err = FindBinDir(); err != nil {
			return nil, err
		}
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if acct != nil {
		// Before anything is created: a start that cannot work leaves
		// nothing behind.
		if err := checkReachable(dir, acct); err != nil {
			return nil, err
		}
	}
	created, err := makeDirs(dir)
	if err != nil {
		removeCreated(dir, created)
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	c, err := start(ctx, o, dir, bin, acct, log)
	if err != nil {
		// A first start that failed leaves no half-made cluster (nor the
		// directories made for it); an existing cluster is never touched.
		discard(dir, created)
		return nil, err
	}
	c.created = created
	return c, nil
}

// Discard stops the cluster and, if Start made it (a new directory),
// removes it with its log, password and the folders made for it: for a
// first start of the application that failed after the cluster came up.
// A cluster that existed before Start is only stopped.
func (c *Cluster) Discard() error {
	err := c.Stop()
	discard(c.dataDir, c.created)
	return err
}

func discard(dir string, created []string) {
	if len(created) == 0 || created[0] != dir {
		return
	}
	_ = os.Remove(logPathFor(dir))
	_ = os.Remove(passwordPathFor(dir))
	removeCreated(dir, created)
}

func start(ctx context.Context, o Options, dir, bin string, acct *account, log *slog.Logger) (*Cluster, error) {
	if acct != nil {
		if err := chownTree(dir, acct); err != nil {
			return nil, fmt.Errorf("hand data directory %s to the postgres user: %w", dir, err)
		}
	}
	if err := removeStalePID(dir, log); err != nil {
		return nil, err
	}

	// The log lives outside the data directory: initdb wants that empty, and
	// we open it ourselves so the unprivileged server needs no rights on it.
	lf, err := os.OpenFile(logPathFor(dir), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open postgres log: %w", err)
	}
	defer lf.Close() // the children hold their own copies

	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := initdb(ctx, bin, dir, o.Fast, acct, lf, log); err != nil {
			return nil, err
		}
	}
	password, err := readPassword(dir)
	if err != nil {
		return nil, err
	}

	for attempt := 1; ; attempt++ {
		port := o.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		c, err := launch(ctx, bin, dir, port, o.Fast, acct, lf, log)
		if err == nil {
			c.password, c.bin, c.fast, c.acct = password, bin, o.Fast, acct
			if password == "" {
				c.secure(ctx, acct)
			}
			return c, nil
		}
		// A port we picked can be taken by someone else before postgres
		// binds it (parallel test binaries do this); just pick another.
		if o.Port != 0 || attempt == 3 || !errors.Is(err, errPortTaken) {
			return nil, err
		}
		log.Info("postgres port taken, retrying", "port", port)
	}
}

// logPathFor is the server log of the cluster in dir: beside it, as
// dir.log.
func logPathFor(dir string) string {
	return filepath.Join(filepath.Dir(dir), filepath.Base(dir)+".log")
}

// Exists reports whether dir holds an initialised cluster.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "PG_VERSION"))
	return err == nil
}

// initdb makes a new cluster whose superuser signs in with a password
// (SCRAM), kept beside the cluster in a file only Gatehouse's OS user and
// the postgres user can read: the server listens on 127.0.0.1, and with
// trust authentication any local user could become its superuser and,
// through it, run programs as the postgres OS user.
func initdb(ctx context.Context, bin, dir string, fast bool, acct *account, lf *os.File, log *slog.Logger) error {
	t0 := time.Now()
	pwfile, err := writePassword(dir, acct)
	if err != nil {
		return err
	}
	args := []string{"-D", dir, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", pwfile, "-E", "UTF8", "--locale=C"}
	if fast {
		args = append(args, "--no-sync")
	}
	off := logSize(lf)
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.Dir = dir // the postgres user may not be able to read our working directory
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = sysProcAttr(acct)
	if err := cmd.Run(); err != nil {
		_ = os.Remove(pwfile)
		return &startError{msg: fmt.Sprintf("initdb %s failed (%v)%s", dir, err, logTail(lf.Name(), off)), log: lf.Name()}
	}
	log.Info("initialised postgres data directory", "dir", dir, "took", time.Since(t0))
	return nil
}

func launch(ctx context.Context, bin, dir string, port int, fast bool, acct *account, lf *os.File, log *slog.Logger) (*Cluster, error) {
	t0 := time.Now()
	args := []string{"-D", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		// No Unix socket: its path must stay under ~107 bytes, and TCP is
		// all we use.
		"-c", "unix_socket_directories="}
	if fast {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	off := logSize(lf)
	// Not CommandContext: ctx bounds the start, not the server's life.
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = sysProcAttr(acct)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	c := &Cluster{dataDir: dir, logPath: lf.Name(), port: port, p: p, log: log}
	if err := c.waitReady(ctx, p, off); err != nil {
		p.kill()
		return nil, err
	}
	log.Info("postgres started", "dir", dir, "port", port, "pid", cmd.Process.Pid, "took", time.Since(t0))
	return c, nil
}

// waitReady polls postmaster.pid until the server we started reports
// "ready", which it writes once it accepts connections.
func (c *Cluster) waitReady(ctx context.Context, p *proc, logOff int64) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	pid := strconv.Itoa(p.cmd.Process.Pid)
	for {
		select {
		case <-p.exited:
			err := &startError{msg: fmt.Sprintf("postgres exited during startup (%v)%s", p.waitErr, logTail(c.logPath, logOff)),
				log: c.logPath}
			if all := logSince(c.logPath, logOff); strings.Contains(all, "could not bind") || strings.Contains(all, "already in use") {
				err.err = errPortTaken
			}
			return err
		case <-ctx.Done():
			return &startError{msg: fmt.Sprintf("postgres not ready on port %d (%v)%s", c.port, ctx.Err(),
				logTail(c.logPath, logOff)), log: c.logPath, err: ctx.Err()}
		case <-tick.C:
			b, _ := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
			lines := strings.Split(string(b), "\n")
			if len(lines) > 7 && lines[0] == pid && strings.TrimSpace(lines[7]) == "ready" {
				return nil
			}
		}
	}
}

// URL returns a connection URL for database dbname as the superuser.
func (c *Cluster) URL(dbname string) string { return urlFor(c.port, dbname, c.password) }

func urlFor(port int, dbname, password string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Host: fmt.Sprintf("127.0.0.1:%d", port),
		Path: "/" + dbname, RawQuery: "sslmode=disable"}
	if password != "" {
		u.User = url.UserPassword("postgres", password)
	}
	return u.String()
}

// RunningURL returns a connection URL for database dbname on the server
// that another process (a running `gatehouse serve`) has started on
// dataDir, read from its postmaster.pid; ok is false when no live server
// owns dataDir. The caller must not stop that server: its owner does.
func RunningURL(dataDir, dbname string) (url string, ok bool) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return "", false
	}
	lines, live, err := readPID(dir)
	// Line 4 of postmaster.pid is the port.
	if err != nil || !live || len(lines) < 4 {
		return "", false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil || port <= 0 || port > 65535 {
		return "", false
	}
	password, err := readPassword(dir)
	if err != nil {
		return "", false
	}
	return urlFor(port, dbname, password), true
}

// Port is the TCP port the server listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// DataDir is the absolute cluster directory.
func (c *Cluster) DataDir() string { return c.dataDir }

// LogPath is the file receiving the server's output.
func (c *Cluster) LogPath() string { return c.logPath }

// Stop shuts the server down and waits for it to exit. It first asks for a
// fast shutdown (SIGINT: disconnect clients, checkpoint, exit), then after
// stopTimeout an immediate one (SIGQUIT), then kills the process group.
// Calling it again returns the first result.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		p := c.proc()
		pid := p.cmd.Process.Pid
		steps := []struct {
			sig  syscall.Signal
			pid  int
			wait time.Duration
		}{
			{syscall.SIGINT, pid, stopTimeout},
			{syscall.SIGQUIT, pid, 5 * time.Second},
			{syscall.SIGKILL, -pid, 5 * time.Second}, // the group: backends too
		}
		for i, s := range steps {
			_ = syscall.Kill(s.pid, s.sig) // ESRCH: already gone, fine
			select {
			case <-p.exited:
				if i > 0 {
					c.stopErr = fmt.Errorf("postgres did not stop within %s; forced with %v", stopTimeout, s.sig)
				} else if p.waitErr != nil {
					// Fast shutdown exits 0; anything else means it had died.
					c.stopErr = fmt.Errorf("postgres had exited: %w (see %s)", p.waitErr, c.logPath)
				}
				c.log.Info("postgres stopped", "dir", c.dataDir, "signal", s.sig.String())
				return
			case <-time.After(s.wait):
				c.log.Warn("postgres still running", "signal", s.sig.String(), "pid", pid)
			}
		}
		c.stopErr = fmt.Errorf("postgres (pid %d) survived SIGKILL", pid)
	})
	return c.stopErr
}

// kill ends a server that failed to become ready; its data is intact.
func (p *proc) kill() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.exited
}

func (c *Cluster) proc() *proc {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.p
}

// Exited is closed when the server process exits: the current one, so
// after a Restart ask again.
func (c *Cluster) Exited() <-chan struct{} { return c.proc().exited }

// Pid is the postmaster's process id.
func (c *Cluster) Pid() int { return c.proc().cmd.Process.Pid }

// ExitErr is how the server process ended ("signal: killed"), nil while
// it runs or when it exited cleanly.
func (c *Cluster) ExitErr() error {
	p := c.proc()
	select {
	case <-p.exited:
		return p.waitErr
	default:
		return nil
	}
}

// Restart starts the server again, on the same data directory and port,
// after its process died (killed, crashed): what is left of the old one
// (backends still exiting, a stale postmaster.pid) is cleared first. It
// must not race Stop: the caller stops watching before it stops the
// cluster.
func (c *Cluster) Restart(ctx context.Context) error {
	old := c.proc()
	select {
	case <-old.exited:
	default:
		return errors.New("embedded: postgres is still running")
	}
	// The backends of a killed postmaster exit on their own, soon; a new
	// postmaster refuses to start while they hold the shared memory.
	_ = syscall.Kill(-old.cmd.Process.Pid, syscall.SIGKILL)
	if err := removeStalePID(c.dataDir, c.log); err != nil {
		return err
	}
	lf, err := os.OpenFile(c.logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("open postgres log: %w", err)
	}
	defer lf.Close()
	n, err := launch(ctx, c.bin, c.dataDir, c.port, c.fast, c.acct, lf, c.log)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.p = n.p
	c.mu.Unlock()
	return nil
}

// removeStalePID deletes postmaster.pid left by a server that died without
// cleaning up, and refuses to start when that server is still running.
func removeStalePID(dir string, log *slog.Logger) error {
	lines, live, err := readPID(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	pid := strings.TrimSpace(lines[0])
	if live {
		return fmt.Errorf("PostgreSQL (pid %s) is already running on data directory %s; "+
			"another Gatehouse may be using this DataDir: stop it or set GATEHOUSE_DATA_DIR to another directory", pid, dir)
	}
	log.Info("removing stale postmaster.pid", "dir", dir, "pid", pid)
	return os.Remove(filepath.Join(dir, "postmaster.pid"))
}

// readPID reads dir's postmaster.pid: its lines, and whether the pid on
// the first one is a live postmaster. An error wrapping fs.ErrNotExist
// means no server has the directory.
func readPID(dir string) (lines []string, live bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return nil, false, err
	}
	lines = strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	return lines, err == nil && pid > 0 && isPostmaster(pid), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func logSize(f *os.File) int64 {
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logTail sums up, on one line, what the server wrote to its log since
// offset off: ": " and its last few lines, or nothing.
func logTail(path string, off int64) string {
	var lines []string
	for _, l := range strings.Split(logSince(path, off), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	if len(lines) == 0 {
		return ""
	}
	return ": " + strings.Join(lines, " | ")
}

// startError is a failed start. It names the server's log only while
// the log exists: a failed first start removes it with the rest.
type startError struct {
	msg string
	log string
	err error // what it is, for errors.Is (errPortTaken)
}

func (e *startError) Error() string {
	if _, err := os.Stat(e.log); err == nil {
		return e.msg + " (server log: " + e.log + ")"
	}
	return e.msg
}

func (e *startError) Unwrap() error { return e.err }

// logSince is what the log at path gained after offset off.
func logSince(path string, off int64) string {
	b, err := os.ReadFile(path)
	if err != nil || off > int64(len(b)) {
		return ""
	}
	return string(b[off:])
}
