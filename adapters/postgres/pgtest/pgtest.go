// Package pgtest gives each integration test its own migrated PostgreSQL
// database. The server is TEST_DATABASE_URL when set, else a private
// cluster started once per test binary. Migrations run once, into a
// template; each test gets a cheap CREATE DATABASE … TEMPLATE copy, which
// is dropped when the test ends.
//
// Packages using it should call Main from TestMain so the cluster and
// temporary files are removed when the tests finish.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/embedded"
)

// server is the per-process state, set up once by the first test.
var (
	once     sync.Once
	setupErr error
	base     *url.URL          // server URL; its path is replaced per database
	admin    *bun.DB           // maintenance connection (CREATE/DROP DATABASE)
	template string            // migrated template database
	cluster  *embedded.Cluster // nil with TEST_DATABASE_URL
	tmpDir   string
	started  time.Duration // how long setup took
	announce sync.Once     // the first test to get a database logs started

	// cloneMu serialises CREATE DATABASE: PostgreSQL refuses to copy a
	// template while another session (including another copy) uses it.
	cloneMu sync.Mutex
)

const tempPrefix = "gatehouse-pgtest-"

// URL returns a connection URL to a new, migrated database for t, dropped
// when t ends. Safe for parallel tests.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	announce.Do(func() { t.Logf("pgtest: server ready and template migrated in %s", started) })
	name := "gh_t_" + randomHex()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := clone(ctx, name); err != nil {
		t.Fatalf("pgtest: create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE: a test that leaked a connection must not leak the database.
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return dbURL(name)
}

// DB returns a bun handle on a new, migrated database for t, closed and
// dropped when t ends.
func DB(t testing.TB) *bun.DB {
	t.Helper()
	u := URL(t)
	db, err := postgres.Open(u, 10)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	// Registered after URL's cleanup, so it runs first: close, then drop.
	t.Cleanup(func() { db.Close() })
	return db
}

// EmptyDatabase creates an empty database named name on the test server
// for a companion process that lives as long as the test binary (e.g.
// adapters/hydra/hydratest's Hydra, which runs its own migrations), and
// returns its URL. Main's teardown drops it (or the cluster with it).
func EmptyDatabase(name string) (string, error) {
	once.Do(setup)
	if setupErr != nil {
		return "", setupErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	extraMu.Lock()
	extra = append(extra, name)
	extraMu.Unlock()
	return dbURL(name), nil
}

var (
	extraMu sync.Mutex
	extra   []string // EmptyDatabase's, dropped at teardown
)

// Main runs the tests, then the package's own cleanups, then stops the
// cluster or drops the template, and exits. Call it from TestMain.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	teardown()
	os.Exit(code)
}

func setup() {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sweepOrphans()
	if env := os.Getenv("TEST_DATABASE_URL"); env != "" {
		if base, setupErr = url.Parse(env); setupErr != nil || base.Scheme == "" {
			// Not echoed: it may hold a password.
			setupErr = errors.New("TEST_DATABASE_URL must be a postgres://user@host:port/db URL (keyword=value strings are not supported)")
			return
		}
	} else if setupErr = startCluster(ctx); setupErr != nil {
		return
	}
	if admin, setupErr = postgres.Open(base.String(), 4); setupErr != nil {
		return
	}
	template = fmt.Sprintf("gh_tmpl_%d_%s", os.Getpid(), randomHex())
	if setupErr = migrateTemplate(ctx); setupErr != nil {
		setupErr = fmt.Errorf("prepare template database on %s: %w", base.Redacted(), setupErr)
		return
	}
	started = time.Since(t0)
}

func startCluster(ctx context.Context) error {
	// The pid in the name lets a later run remove this directory if we die
	// without reaching teardown (see sweepOrphans).
	var err error
	if tmpDir, err = os.MkdirTemp("", fmt.Sprintf("%s%d-", tempPrefix, os.Getpid())); err != nil {
		return err
	}
	// MkdirTemp makes it 0700; when root, the postgres user must traverse it.
	if err := os.Chmod(tmpDir, 0o755); err != nil {
		return err
	}
	cluster, err = embedded.Start(ctx, embedded.Options{DataDir: filepath.Join(tmpDir, "data"), Fast: true})
	if err != nil {
		return fmt.Errorf("start embedded PostgreSQL (or set TEST_DATABASE_URL): %w", err)
	}
	base, err = url.Parse(cluster.URL("postgres"))
	return err
}

func migrateTemplate(ctx context.Context) error {
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+template); err != nil {
		return err
	}
	db, err := postgres.Open(dbURL(template), 1)
	if err != nil {
		return err
	}
	_, err = postgres.MigrateUp(ctx, db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// clone creates name from the template, retrying while PostgreSQL reports
// the template busy (a just-closed session can linger for a moment).
func clone(ctx context.Context, name string) error {
	cloneMu.Lock()
	defer cloneMu.Unlock()
	for delay := 10 * time.Millisecond; ; delay *= 2 {
		_, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || delay > 2*time.Second {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
	}
}

func teardown() {
	if admin != nil {
		if cluster == nil && template != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
			for _, name := range extra {
				_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			}
			cancel()
		}
		admin.Close()
	}
	if cluster != nil {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
}

// sweepOrphans removes cluster directories of test processes that died
// or never called Main. Their servers got SIGQUIT through Pdeathsig.
func sweepOrphans() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*-*"))
	for _, d := range dirs {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), tempPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(d)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

func dbURL(name string) string {
	u := *base
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
