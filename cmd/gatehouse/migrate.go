package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const migrateUsage = "usage: gatehouse migrate up | status | down [N] [--allow-prod] | down --all --yes [--allow-prod]"

// migrate applies, rolls back or lists migrations.
func migrate(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(migrateUsage)
	}
	var down downRequest
	switch args[0] {
	case "up", "status":
		if len(args) != 1 {
			return errors.New(migrateUsage)
		}
	case "down":
		var err error
		if down, err = parseDown(args[1:]); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown migrate command %q (want up, down or status)", args[0])
	}
	cfg, err := loadConfig(app.ScopeDatabase)
	if err != nil {
		return err
	}
	if args[0] == "down" {
		if cfg.Prod() && !down.allowProd {
			return errors.New("migrate down drops tables and their data: refused with GATEHOUSE_ENV=prod " +
				"unless --allow-prod is given (take a backup first)")
		}
		// Held until the command ends, so no server starts meanwhile.
		release, err := lockOutServers(cfg)
		if err != nil {
			return err
		}
		defer release()
	}
	cfg = commandLogger(cfg)
	ctx := context.Background()
	log := app.NewLogger(cfg)
	d, err := app.OpenDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	tellDatabase(d)
	m := postgres.Migrator(d.DB)
	if err := m.Init(ctx); err != nil {
		return err
	}
	switch args[0] {
	case "up":
		names, err := postgres.MigrateUp(ctx, d.DB)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintln(out, "nothing to apply: the schema is up to date")
		}
		for _, n := range names {
			fmt.Fprintln(out, "applied", n)
		}
	case "down":
		names, err := postgres.RollBack(ctx, d.DB, down.steps)
		for _, n := range names {
			fmt.Fprintln(out, "rolled back", n)
		}
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintln(out, "nothing to roll back")
		}
	case "status":
		ms, err := m.MigrationsWithStatus(ctx)
		if err != nil {
			return err
		}
		for _, mg := range ms {
			state := "pending"
			if mg.IsApplied() {
				state = "applied at " + mg.MigratedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(out, "%s_%s\t%s\n", mg.Name, mg.Comment, state)
		}
	}
	return nil
}

// downRequest is what `migrate down` was asked: steps (-1 for all) and
// whether production was allowed explicitly.
type downRequest struct {
	steps     int
	allowProd bool
}

// parseDown reads `down [N] [--all --yes] [--allow-prod]`. A rollback
// drops tables with their data, so the default is one migration, and all
// of them takes --all with --yes.
func parseDown(args []string) (downRequest, error) {
	r := downRequest{steps: 1}
	var all, yes, count bool
	for _, a := range args {
		switch a {
		case "--all":
			all = true
		case "--yes":
			yes = true
		case "--allow-prod":
			r.allowProd = true
		default:
			n, err := strconv.Atoi(a)
			if err != nil || n < 1 || count {
				return r, fmt.Errorf("migrate down: unexpected %q\n%s", a, migrateUsage)
			}
			r.steps, count = n, true
		}
	}
	switch {
	case all && count:
		return r, fmt.Errorf("migrate down: give a number of migrations or --all, not both\n%s", migrateUsage)
	case all && !yes:
		return r, errors.New("migrate down --all rolls back every migration and drops all of Gatehouse's data: " +
			"add --yes to confirm")
	case yes && !all:
		return r, fmt.Errorf("migrate down: --yes goes with --all\n%s", migrateUsage)
	case all:
		r.steps = -1
	}
	return r, nil
}

// lockOutServers takes the data directory's serve.lock exclusively, as an
// embedded-cluster server does (a server on DATABASE_URL holds it shared):
// a server using this data directory makes the rollback refused, and none
// can start until release. Servers on other machines or with another data
// directory are not seen. A data directory that does not exist has no
// server. The lock file is made if missing, as serve would make it.
func lockOutServers(cfg app.Config) (release func(), err error) {
	path := filepath.Join(cfg.DataDir, "serve.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_DATA_DIR %s: %w", cfg.DataDir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("migrate down refused: a Gatehouse server is running on GATEHOUSE_DATA_DIR %s; "+
			"stop it first (rolling back under a running server breaks it and loses data)", cfg.DataDir)
	}
	return func() { _ = f.Close() }, nil
}
