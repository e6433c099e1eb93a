package pgtest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func dbName(t *testing.T, u string) string {
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	return strings.TrimPrefix(parsed.Path, "/")
}

// Two parallel tests write to a table of the same name; neither sees the
// other's row, and both databases are gone afterwards.
func TestEachTestGetsItsOwnDatabase(t *testing.T) {
	ctx := context.Background()
	written := make(chan struct{})
	names := make(chan string, 2)

	t.Run("group", func(t *testing.T) {
		t.Run("writer", func(t *testing.T) {
			t.Parallel()
			defer close(written) // also on failure, so the reader never hangs
			t0 := time.Now()
			u := pgtest.URL(t)
			t.Logf("database ready in %s", time.Since(t0))
			names <- dbName(t, u)
			db, err := postgres.Open(u, 2)
			require.NoError(t, err)
			defer db.Close()
			_, err = db.ExecContext(ctx, "CREATE TABLE notes (v text); INSERT INTO notes VALUES ('mine')")
			require.NoError(t, err)
		})
		t.Run("reader", func(t *testing.T) {
			t.Parallel()
			db := pgtest.DB(t)
			var name string
			require.NoError(t, db.QueryRowContext(ctx, "SELECT current_database()").Scan(&name))
			names <- name
			<-written
			var exists bool
			require.NoError(t, db.QueryRowContext(ctx, "SELECT to_regclass('notes') IS NOT NULL").Scan(&exists))
			require.False(t, exists, "the writer's table leaked into this database")
		})
	})

	a, b := <-names, <-names
	require.NotEqual(t, a, b)
	db := pgtest.DB(t)
	var left int
	require.NoError(t, db.QueryRowContext(ctx,
		"SELECT count(*) FROM pg_database WHERE datname IN (?, ?)", a, b).Scan(&left))
	require.Zero(t, left, "test databases are dropped when their test ends")
}

func TestDatabaseIsMigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	var applied int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM bun_migrations").Scan(&applied))
	require.Positive(t, applied)
	pending, err := postgres.PendingMigrations(ctx, db)
	require.NoError(t, err)
	require.Empty(t, pending)
}

// TestManyParallel exercises the clone lock and reports a per-test cost.
func TestManyParallel(t *testing.T) {
	for i := range 8 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			t0 := time.Now()
			db := pgtest.DB(t)
			require.NoError(t, db.PingContext(context.Background()))
			t.Logf("clone %d ready in %s", i, time.Since(t0))
		})
	}
}
