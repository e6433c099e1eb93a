package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	require.Equal(t, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port()), c.URL("postgres"))
	exec1(t, c.URL("postgres"), "CREATE TABLE kept (v text)")
	exec1(t, c.URL("postgres"), "INSERT INTO kept VALUES ($1)", "hello")

	_, err = Start(ctx, Options{DataDir: dir})
	require.ErrorContains(t, err, "another Gatehouse may be using this DataDir")

	require.NoError(t, c.Stop())
	require.NoError(t, c.Stop(), "Stop is idempotent")

	// A crash leaves postmaster.pid behind; a dead pid must not block.
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	stale := fmt.Sprintf("%d\n%s\n", dead.Process.Pid, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale), 0o600))

	// Durable settings this time, to cover that path too.
	t0 = time.Now()
	c, err = Start(ctx, Options{DataDir: dir, Logger: log})
	require.NoError(t, err)
	t.Cleanup(func() { c.Stop() })
	t.Logf("restart (no initdb): %s", time.Since(t0))

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	var v string
	require.NoError(t, conn.QueryRow(ctx, "SELECT v FROM kept").Scan(&v))
	require.Equal(t, "hello", v)
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

func TestUnreachableDataDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the data directory to another user")
	}
	parent, err := os.MkdirTemp("", "gatehouse-embedded-") // 0700, root's
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(parent) })

	_, err = Start(context.Background(), Options{DataDir: filepath.Join(parent, "data")})
	require.ErrorContains(t, err, "GATEHOUSE_DATA_DIR")
	require.True(t, strings.Contains(err.Error(), parent), err.Error())
}
