package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/embedded"
)

// embeddedDBName is the database Gatehouse uses inside its own cluster.
const embeddedDBName = "gatehouse"

// Database is an open database and what it takes to let it go.
type Database struct {
	DB      *bun.DB
	cluster *embedded.Cluster
}

// Close closes the pool and stops the embedded cluster, if any.
func (d *Database) Close() error {
	err := d.DB.Close()
	if d.cluster != nil {
		if serr := d.cluster.Stop(); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// OpenDatabase connects to DATABASE_URL or, when it is unset, to the
// private cluster under DataDir/pg: the one a running `serve` started, or
// else one it starts itself (initdb on first use), creating the gatehouse
// database in it.
func OpenDatabase(ctx context.Context, cfg Config, log *slog.Logger) (*Database, error) {
	if cfg.DatabaseURL != "" {
		return openServer(cfg.DatabaseURL, cfg.DBMaxConns)
	}
	if err := EnsureDataDir(cfg); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "pg"))
	if err != nil {
		return nil, err
	}
	if url, ok := embedded.RunningURL(dir, embeddedDBName); ok {
		// A running `serve` owns the cluster: share it, and leave stopping
		// it to its owner.
		log.Info("using the embedded PostgreSQL a running Gatehouse started", "dir", dir)
		return openServer(url, cfg.DBMaxConns)
	}
	bin, err := embedded.FindBinDir()
	if err != nil {
		return nil, err
	}
	log.Info("starting embedded PostgreSQL", "dir", dir, "bin", bin)
	cluster, err := embedded.Start(ctx, embedded.Options{DataDir: dir, BinDir: bin, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("embedded PostgreSQL: %w", err)
	}
	if err := ensureDatabase(ctx, cluster.URL("postgres"), embeddedDBName); err != nil {
		_ = cluster.Stop()
		return nil, err
	}
	db, err := postgres.Open(cluster.URL(embeddedDBName), cfg.DBMaxConns)
	if err != nil {
		_ = cluster.Stop()
		return nil, err
	}
	return &Database{DB: db, cluster: cluster}, nil
}

// openServer connects to a server that Gatehouse does not stop on Close.
func openServer(url string, maxConns int) (*Database, error) {
	db, err := postgres.Open(url, maxConns)
	if err != nil {
		return nil, err
	}
	return &Database{DB: db}, nil
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
