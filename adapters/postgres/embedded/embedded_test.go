package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// tempParent returns a directory postgres can use as the data dir's parent.
// Not t.TempDir: as root its parent is 0700 and the postgres user cannot
// reach it.
func tempParent(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gatehouse-embedded-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func exec1(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(t, err)
}

func TestRestartKeepsData(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(tempParent(t), "data")
	log := slog.New(slog.NewTextHandler(t.Output(), nil))

	t0 := time.Now()
	c, err := Start(ctx, Options{DataDir: dir, Fast: true, Logger: log})
	require.NoError(t, err)
	t.Logf("first start (initdb + postgres): %s", time.Since(t0))
	pw, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "data.password"))
	require.NoError(t, err)
	require.Len(t, strings.TrimSpace(string(pw)), 52)
	require.Equal(t, fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", strings.TrimSpace(string(pw)), c.Port()), c.URL("postgres"))
	fi, err := os.Stat(filepath.Join(filepath.Dir(dir), "data.password"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the password is for the server and Gatehouse alone")
	// No password, no way in: another local user cannot become the
	// superuser through the loopback port.
	_, err = pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port()))
	require.ErrorContains(t, err, "password")
	exec1(t, c.URL("postgres"), "CREATE TABLE kept (v text)")
	exec1(t, c.URL("postgres"), "INSERT INTO kept VALUES ($1)", "hello")

	_, err = Start(ctx, Options{DataDir: dir})
	t.Log(err)
	require.ErrorContains(t, err, "another Gatehouse may be using this DataDir")
	// What the server's owner started, another process finds and shares.
	url, ok := RunningURL(dir, "postgres")
	require.True(t, ok, "the running server was not found")
	require.Equal(t, c.URL("postgres"), url)
	exec1(t, url, "INSERT INTO kept VALUES ($1)", "shared")

	require.NoError(t, c.Stop())
	require.NoError(t, c.Stop(), "Stop is idempotent")
	_, ok = RunningURL(dir, "postgres")
	require.False(t, ok, "a stopped server was reported running")

	// A port that is taken is reported as such (Start retries on another
	// port only when it chose the port itself).
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, err = Start(ctx, Options{DataDir: dir, Port: busy.Addr().(*net.TCPAddr).Port, Fast: true})
	busy.Close()
	require.ErrorIs(t, err, errPortTaken)

	// A crash leaves postmaster.pid behind; a dead pid must not block.
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	stale := fmt.Sprintf("%d\n%s\n", dead.Process.Pid, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale+"0\n5432\n"), 0o600))
	_, ok = RunningURL(dir, "postgres")
	require.False(t, ok, "a dead pid was reported running")

	// Durable settings this time, to cover that path too.
	t0 = time.Now()
	c, err = Start(ctx, Options{DataDir: dir, Logger: log})
	require.NoError(t, err)
	t.Cleanup(func() { c.Stop() })
	t.Logf("restart (no initdb): %s", time.Since(t0))

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	var v string
	require.NoError(t, conn.QueryRow(ctx, "SELECT string_agg(v, ',' ORDER BY v) FROM kept").Scan(&v))
	require.Equal(t, "hello,shared", v)
	require.NoError(t, conn.Close(ctx))

	require.NoError(t, c.Stop())
	log2, err := os.ReadFile(c.LogPath())
	require.NoError(t, err)
	require.Contains(t, string(log2), "database system is shut down")
}

func TestFindBinDir(t *testing.T) {
	t.Setenv("GATEHOUSE_PG_BIN", "")
	dir, err := FindBinDir()
	require.NoError(t, err, "this machine should have PostgreSQL server binaries")
	require.FileExists(t, filepath.Join(dir, "initdb"))

	t.Setenv("GATEHOUSE_PG_BIN", t.TempDir())
	_, err = FindBinDir()
	require.ErrorContains(t, err, "install them with `apt-get install -y postgresql` (Debian/Ubuntu) or set GATEHOUSE_PG_BIN")
}

func TestMakeDirsLeavesParentsTraversable(t *testing.T) {
	old := syscall.Umask(0o077) // no test here runs in parallel
	defer syscall.Umask(old)
	parent := tempParent(t)
	dir := filepath.Join(parent, "a", "b", "data")
	created, err := makeDirs(dir)
	require.NoError(t, err)
	require.Equal(t, []string{dir, filepath.Dir(dir), filepath.Join(parent, "a")}, created)
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o755, filepath.Join(parent, "a"): 0o755} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		require.Equal(t, want, fi.Mode().Perm(), p)
	}
}

func TestUnreachableDataDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the data directory to another user")
	}
	parent, err := os.MkdirTemp("", "gatehouse-embedded-") // 0700, root's
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(parent) })

	dir := filepath.Join(parent, "gatehouse", "data")
	require.ErrorIs(t, CheckReachable(dir), ErrUnreachable)
	_, err = Start(context.Background(), Options{DataDir: dir})
	t.Log(err)
	require.ErrorIs(t, err, ErrUnreachable)
	require.ErrorContains(t, err, "GATEHOUSE_DATA_DIR")
	require.True(t, strings.Contains(err.Error(), parent), err.Error())
	require.NotContains(t, err.Error(), "\n", "one line")
	require.NoDirExists(t, filepath.Join(parent, "gatehouse"), "a refused start made directories")

	require.NoError(t, os.Chmod(parent, 0o711))
	require.NoError(t, CheckReachable(dir))
}

// TestFailedFirstStartLeavesNothing: when initdb fails, neither the data
// directory nor the directories made for it, nor a log, stay behind; the
// error is one line that says why.
func TestFailedFirstStartLeavesNothing(t *testing.T) {
	parent := tempParent(t)
	bin := filepath.Join(parent, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	for name, script := range map[string]string{
		"initdb":   "#!/bin/sh\necho 'initdb: error: could not create directory: No space left on device' >&2\nexit 1\n",
		"postgres": "#!/bin/sh\nexit 1\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755))
	}
	dir := filepath.Join(parent, "clone", ".gatehouse", "pg")
	_, err := Start(context.Background(), Options{DataDir: dir, BinDir: bin})
	require.ErrorContains(t, err, "No space left on device")
	require.NotContains(t, err.Error(), "\n", "one line")
	require.NoDirExists(t, filepath.Join(parent, "clone"))

	// An existing, initialised cluster is never removed by a failed start.
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "PG_VERSION"), []byte("15\n"), 0o600))
	_, err = Start(context.Background(), Options{DataDir: dir, BinDir: bin})
	require.Error(t, err)
	require.FileExists(t, filepath.Join(dir, "PG_VERSION"))
}

// TestDiscardRemovesOnlyANewCluster: when the application fails to start
// after its first cluster came up, Discard takes that cluster away with
// the folders made for it; a cluster that was there before stays.
func TestDiscardRemovesOnlyANewCluster(t *testing.T) {
	parent := tempParent(t)
	dir := filepath.Join(parent, "clone", ".gatehouse", "pg")
	c, err := Start(context.Background(), Options{DataDir: dir, Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Discard())
	require.NoDirExists(t, filepath.Join(parent, "clone"))

	require.NoError(t, os.MkdirAll(filepath.Dir(dir), 0o755))
	c, err = Start(context.Background(), Options{DataDir: dir, Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Stop())
	c, err = Start(context.Background(), Options{DataDir: dir, Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Discard())
	require.FileExists(t, filepath.Join(dir, "PG_VERSION"), "an existing cluster was removed")
}

// TestMakeDirsCountsOnlyWhatItMade: a folder another process made first
// is not ours to remove.
func TestMakeDirsCountsOnlyWhatItMade(t *testing.T) {
	parent := tempParent(t)
	require.NoError(t, os.Mkdir(filepath.Join(parent, "theirs"), 0o755))
	dir := filepath.Join(parent, "theirs", "pg")
	created, err := makeDirs(dir)
	require.NoError(t, err)
	require.Equal(t, []string{dir}, created)
	removeCreated(dir, created)
	require.DirExists(t, filepath.Join(parent, "theirs"))
	require.NoDirExists(t, dir)
}

func TestKeyedDirIsStableAndNamedForTheDataDir(t *testing.T) {
	a := KeyedDir("/var/lib/gatehouse", "/root/gatehouse/.gatehouse/pg")
	require.Equal(t, a, KeyedDir("/var/lib/gatehouse", "/root/gatehouse/.gatehouse/pg"))
	require.Regexp(t, `^/var/lib/gatehouse/gatehouse-[0-9a-f]{12}/pg$`, a)
	require.NotEqual(t, a, KeyedDir("/var/lib/gatehouse", "/root/other/gatehouse/.gatehouse/pg"))
	require.Regexp(t, `/a_b_c-[0-9a-f]{12}/pg$`, KeyedDir("/r", "/home/x/a b.c/.gatehouse/pg"))
}

// TestATrustingClusterIsSecured: a cluster made by an earlier build, with
// trust authentication and no password, gets a password at its next start
// and from then on asks for it.
func TestATrustingClusterIsSecured(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(tempParent(t), "data")
	c, err := Start(ctx, Options{DataDir: dir, Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Stop())
	// Make it as old builds did: trust, and no password file.
	hba := filepath.Join(dir, "pg_hba.conf")
	b, err := os.ReadFile(hba)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(hba, []byte(strings.ReplaceAll(string(b), "scram-sha-256", "trust")), 0o600))
	if acct, _ := serverAccount(); acct != nil {
		require.NoError(t, os.Lchown(hba, int(acct.uid), int(acct.gid)))
	}
	require.NoError(t, os.Remove(filepath.Join(filepath.Dir(dir), "data.password")))

	c, err = Start(ctx, Options{DataDir: dir, Fast: true})
	require.NoError(t, err)
	defer c.Stop() //nolint:errcheck
	require.FileExists(t, filepath.Join(filepath.Dir(dir), "data.password"))
	exec1(t, c.URL("postgres"), "SELECT 1")
	_, err = pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port()))
	require.ErrorContains(t, err, "password", "the cluster still trusts a connection without a password")
	url, ok := RunningURL(dir, "postgres")
	require.True(t, ok)
	exec1(t, url, "SELECT 1")
}
