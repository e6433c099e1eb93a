package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/embedded"
)

// embeddedDBName is the database Gatehouse uses inside its own cluster.
const embeddedDBName = "gatehouse"

// Database is an open database and what it takes to let it go.
type Database struct {
	DB *bun.DB
	// Where says which database this is, for a command to tell its user.
	Where   string
	cluster *embedded.Cluster
	// url is DB's, for a pool of its own without DB's bounds (bounded).
	url     string
	bounded bool

	// The watchdog of the embedded cluster (see watch).
	watchStop chan struct{}
	watchDone chan struct{}
	failure   error
	failMu    sync.Mutex
}

// Watchdog restarts of the embedded PostgreSQL after it dies: this many
// tries, waiting watchBackoff, then twice that, between them. However
// each restart goes, at most watchBudget of them happen within
// watchWindow: a PostgreSQL that dies again a few seconds after every
// start is not restarted for ever.
const (
	watchTries   = 4
	watchBackoff = 500 * time.Millisecond
	watchBudget  = 4
	watchWindow  = 10 * time.Minute
)

// watchedCluster is what the watchdog needs of the embedded cluster.
type watchedCluster interface {
	Exited() <-chan struct{}
	ExitErr() error
	Restart(ctx context.Context) error
	Pid() int
	Port() int
	DataDir() string
}

// restartBudget counts the restarts of the last window.
type restartBudget struct {
	max    int
	window time.Duration
	done   []time.Time
}

// spent reports whether max restarts already happened within the window
// before now.
func (b *restartBudget) spent(now time.Time) bool {
	kept := b.done[:0]
	for _, t := range b.done {
		if now.Sub(t) < b.window {
			kept = append(kept, t)
		}
	}
	b.done = kept
	return len(b.done) >= b.max
}

// record counts a restart made at now.
func (b *restartBudget) record(now time.Time) { b.done = append(b.done, now) }

// watch restarts the embedded PostgreSQL on the same port and data
// directory whenever its process dies, so that requests answer
// UNAVAILABLE for the moment it takes rather than for good. When it
// cannot be restarted, or died again too often (see watchBudget), the
// app stops (exit code 1) and Failure says why. Nothing to watch with
// DATABASE_URL: that server is someone else's.
func (d *Database) watch(log *slog.Logger, sd fx.Shutdowner) {
	if d.cluster == nil {
		return
	}
	d.watchStop, d.watchDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(d.watchDone)
		err := watchLoop(d.cluster, d.watchStop, log, watchBackoff, &restartBudget{max: watchBudget, window: watchWindow})
		if err == nil {
			return
		}
		d.failMu.Lock()
		d.failure = err
		d.failMu.Unlock()
		log.Error("stopping: the embedded PostgreSQL cannot be restarted", "err", err)
		_ = sd.Shutdown(fx.ExitCode(1))
	}()
}

// watchLoop is watch's loop: it returns nil when stop closes, else why it
// gave up on c.
func watchLoop(c watchedCluster, stop <-chan struct{}, log *slog.Logger, backoff time.Duration, budget *restartBudget) error {
	for {
		select {
		case <-stop:
			return nil
		case <-c.Exited():
		}
		if budget.spent(time.Now()) {
			return fmt.Errorf("the embedded PostgreSQL stopped again after %d restarts within %s; not restarting it: %v",
				budget.max, budget.window, c.ExitErr())
		}
		log.Error("the embedded PostgreSQL stopped; restarting it", "dir", c.DataDir(),
			"port", c.Port(), "exit", fmt.Sprint(c.ExitErr()))
		var err error
		wait := backoff
		for try := 1; try <= watchTries; try++ {
			select {
			case <-stop:
				return nil
			case <-time.After(wait):
			}
			wait *= 2
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err = c.Restart(ctx)
			cancel()
			if err == nil {
				budget.record(time.Now())
				log.Info("the embedded PostgreSQL is running again", "pid", c.Pid(), "try", try)
				break
			}
			log.Warn("restarting the embedded PostgreSQL failed", "try", try, "err", err)
		}
		if err != nil {
			return fmt.Errorf("the embedded PostgreSQL stopped and could not be restarted after %d tries: %w",
				watchTries, err)
		}
	}
}

// unwatch stops the watchdog (before the cluster is stopped on purpose).
func (d *Database) unwatch() {
	if d.watchStop == nil {
		return
	}
	select {
	case <-d.watchStop:
	default:
		close(d.watchStop)
	}
	<-d.watchDone
}

// Failure is why the database stopped the app (the embedded PostgreSQL
// died for good), nil when it did not.
func (d *Database) Failure() error {
	if d == nil {
		return nil
	}
	d.failMu.Lock()
	defer d.failMu.Unlock()
	return d.failure
}

// dbBounds are the server's database bounds; one-shot commands (and
// migrations) run unbounded.
func dbBounds(cfg Config) postgres.Bounds {
	if !cfg.Serving() {
		return postgres.Bounds{}
	}
	return postgres.Bounds{Statement: cfg.DBStatementTimeout, Lock: cfg.DBLockTimeout, PoolWait: cfg.DBPoolWait}
}

// Unbounded is a pool without the server's statement and lock timeouts,
// for work that may rightly take longer (migrations); done closes it.
func (d *Database) Unbounded() (db *bun.DB, done func(), err error) {
	if !d.bounded {
		return d.DB, func() {}, nil
	}
	db, err = postgres.Open(d.url, 2)
	if err != nil {
		return nil, nil, err
	}
	return db, func() { _ = db.Close() }, nil
}

// Discard is Close for a start that failed: an embedded cluster made by
// this run is removed as well (see embedded.Cluster.Discard).
func (d *Database) Discard() {
	_ = d.DB.Close()
	if d.cluster != nil {
		_ = d.cluster.Discard()
	}
}

// Close closes the pool and stops the embedded cluster, if any.
func (d *Database) Close() error {
	d.unwatch()
	err := d.DB.Close()
	if d.cluster != nil {
		if serr := d.cluster.Stop(); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// relocatedRoot holds the clusters of data directories the postgres OS
// user cannot reach (see ClusterDir).
const relocatedRoot = "/var/lib/gatehouse"

// ClusterDir is the embedded cluster's directory: DataDir/pg, unless
// Gatehouse runs as root with the default data directory somewhere the
// postgres OS user cannot reach (a clone under /root, mode 0700). Then it
// is a directory of its own under /var/lib/gatehouse, named after the data
// directory's path, so that every run and command from that clone finds
// the same cluster; moved says so. An explicit GATEHOUSE_DATA_DIR is used
// as it is: an unreachable one is an error that says how to fix it.
func ClusterDir(cfg Config) (dir string, moved bool, err error) {
	// The real path: a clone reached through a symlink is the same clone,
	// and what the postgres user must traverse is where the link leads.
	dir, err = realPath(filepath.Join(cfg.DataDir, "pg"))
	if err != nil {
		return "", false, err
	}
	err = embedded.CheckReachable(dir)
	if err == nil || cfg.DataDirSet || !errors.Is(err, embedded.ErrUnreachable) {
		return dir, false, err
	}
	return embedded.KeyedDir(relocatedRoot, dir), true, nil
}

// OpenDatabase connects to DATABASE_URL or, when it is unset, to the
// private cluster of the data directory (see ClusterDir): the one a
// running `serve` started, or else one it starts itself. Only `serve`
// makes a new cluster (initdb on first use, and the gatehouse database in
// it); a one-shot command run where there is none says so instead of
// quietly starting an empty database.
func OpenDatabase(ctx context.Context, cfg Config, log *slog.Logger) (*Database, error) {
	if cfg.DatabaseURL != "" {
		d, err := openServer(cfg.DatabaseURL, cfg.DBMaxConns, dbBounds(cfg))
		if err != nil {
			return nil, err
		}
		d.Where = "the database of DATABASE_URL (" + describeURL(cfg.DatabaseURL) + ")"
		// Asked now, so that a wrong URL or a server that is down is said
		// plainly, before anything else starts.
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := d.DB.PingContext(pctx); err != nil {
			_ = d.DB.Close()
			return nil, fmt.Errorf("the database of DATABASE_URL (%s) cannot be reached: %s; check the URL and that PostgreSQL is running",
				describeURL(cfg.DatabaseURL), postgres.Reason(err))
		}
		return d, nil
	}
	dir, moved, err := ClusterDir(cfg)
	if err != nil {
		return nil, err
	}
	if moved {
		dataDir, _ := filepath.Abs(cfg.DataDir)
		log.Info("the data directory is out of the postgres OS user's reach, so the embedded PostgreSQL lives elsewhere",
			"data_dir", dataDir, "cluster", dir)
	}
	if url, ok := embedded.RunningURL(dir, embeddedDBName); ok {
		if cfg.Serving() {
			// Whoever started it (another serve, or a command that is
			// seeding) stops it when done, pulling the database from
			// under this server.
			return nil, fmt.Errorf("the embedded PostgreSQL in %s is in use by another Gatehouse (a server or a command): "+
				"stop it or wait for it to finish, or set GATEHOUSE_DATA_DIR to another directory", dir)
		}
		// A one-shot command shares the cluster a running Gatehouse
		// started, and leaves stopping it to its owner.
		log.Info("using the embedded PostgreSQL a running Gatehouse started", "dir", dir)
		d, err := openServer(url, cfg.DBMaxConns, dbBounds(cfg))
		if err != nil {
			return nil, err
		}
		d.Where = "the embedded PostgreSQL in " + dir + " (started by the running Gatehouse)"
		return d, nil
	}
	if !cfg.Serving() && !embedded.Exists(dir) {
		return nil, fmt.Errorf("there is no Gatehouse database in %s: run `make run` (or `gatehouse serve`) once to create it, "+
			"run this from the directory you ran it in, or set GATEHOUSE_DATA_DIR or DATABASE_URL", dir)
	}
	bin, err := embedded.FindBinDir()
	if err != nil {
		return nil, err
	}
	if cfg.Serving() && !moved {
		// The cluster lives in the data directory: make it traversable.
		if err := EnsureDataDir(cfg); err != nil {
			return nil, err
		}
	}
	log.Info("starting embedded PostgreSQL", "dir", dir, "bin", bin)
	cluster, err := embedded.Start(ctx, embedded.Options{DataDir: dir, BinDir: bin, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("embedded PostgreSQL: %w", err)
	}
	if err := ensureDatabase(ctx, cluster.URL("postgres"), embeddedDBName); err != nil {
		_ = cluster.Discard()
		return nil, err
	}
	d, err := openServer(cluster.URL(embeddedDBName), cfg.DBMaxConns, dbBounds(cfg))
	if err != nil {
		_ = cluster.Discard()
		return nil, err
	}
	d.cluster, d.Where = cluster, "the embedded PostgreSQL in "+dir
	return d, nil
}

// describeURL is a database URL without its password, for messages.
func describeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "unparsed"
	}
	return u.Host + u.Path
}

// openServer connects to a server that Gatehouse does not stop on Close.
func openServer(url string, maxConns int, b postgres.Bounds) (*Database, error) {
	db, err := postgres.OpenBounded(url, maxConns, b)
	if err != nil {
		return nil, err
	}
	return &Database{DB: db, url: url, bounded: b != (postgres.Bounds{})}, nil
}

func ensureDatabase(ctx context.Context, adminURL, name string) error {
	admin, err := postgres.Open(adminURL, 1)
	if err != nil {
		return err
	}
	defer admin.Close()
	var exists bool
	if err := admin.NewRaw("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).
		Scan(ctx, &exists); err != nil {
		return fmt.Errorf("check database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// PrepareSchema applies pending migrations in dev; in prod it refuses to
// run on a schema that is behind, so a deploy never migrates by surprise.
func PrepareSchema(ctx context.Context, cfg Config, db *bun.DB, log *slog.Logger) error {
	if !cfg.Prod() {
		applied, err := postgres.MigrateUp(ctx, db)
		if err != nil {
			return err
		}
		if len(applied) > 0 {
			log.Info("migrations applied", "names", strings.Join(applied, ","))
		}
		return nil
	}
	pending, err := postgres.PendingMigrations(ctx, db)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("the database schema is behind (pending: %s); run `gatehouse migrate up` first",
			strings.Join(pending, ", "))
	}
	return nil
}

// realPath is p made absolute with every symlink in the part that exists
// resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for q := abs; ; q = filepath.Dir(q) {
		if r, err := filepath.EvalSymlinks(q); err == nil {
			return filepath.Join(r, rest), nil
		}
		if q == filepath.Dir(q) {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(q), rest)
	}
}

// EnsureDataDir creates the data directory traversable by others (0711,
// not listable): the embedded cluster runs as the postgres OS user when
// Gatehouse runs as root and must reach DataDir/pg. Keys live in a 0700
// subdirectory.
func EnsureDataDir(cfg Config) error {
	if err := os.MkdirAll(cfg.DataDir, 0o711); err != nil {
		return fmt.Errorf("GATEHOUSE_DATA_DIR %s: %w", cfg.DataDir, err)
	}
	if cfg.DatabaseURL != "" {
		return nil
	}
	st, err := os.Stat(cfg.DataDir)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o001 == 0 && os.Geteuid() == 0 {
		return os.Chmod(cfg.DataDir, st.Mode().Perm()|0o011)
	}
	return nil
}
