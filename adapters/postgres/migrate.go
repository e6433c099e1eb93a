package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/migrations"
)

// Migrator returns bun's migrator over Gatehouse's embedded migrations.
func Migrator(db *bun.DB) *migrate.Migrator {
	return migrate.NewMigrator(db, migrations.Migrations, migrate.WithMarkAppliedOnSuccess(true))
}

// MigrateUp creates the bookkeeping tables if needed and applies every
// pending migration. It returns the names applied.
func MigrateUp(ctx context.Context, db *bun.DB) ([]string, error) {
	m := Migrator(db)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	river, err := riverMigrator(db)
	if err != nil {
		return names, err
	}
	res, err := river.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return names, fmt.Errorf("migrate river: %w", err)
	}
	for _, v := range res.Versions {
		names = append(names, fmt.Sprintf("river_%03d_%s", v.Version, v.Name))
	}
	return names, nil
}

// riverMigrator migrates the tables of River, the job queue the delivery
// workers use (adapters/postgres/deliveries.go); River keeps its own
// versions, in river_migration, and MigrateUp applies them after ours.
func riverMigrator(db *bun.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	m, err := rivermigrate.New(riverdatabasesql.New(db.DB), &rivermigrate.Config{
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	return m, nil
}

// PendingMigrations lists migrations not yet applied.
func PendingMigrations(ctx context.Context, db *bun.DB) ([]string, error) {
	m := Migrator(db)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	var names []string
	for _, mg := range ms.Unapplied() {
		names = append(names, mg.Name)
	}
	river, err := riverMigrator(db)
	if err != nil {
		return nil, err
	}
	res, err := river.Validate(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("river migration status: %w", err)
	}
	if !res.OK {
		names = append(names, "river ("+strings.Join(res.Messages, "; ")+")")
	}
	return names, nil
}

// RollBack undoes the newest n applied migrations (all of them, and River's
// tables, when n < 0),
// newest first, each marked unapplied once its down script has run. It
// returns the names rolled back. Migrations are rolled back one by one,
// not by bun's group: the whole schema is usually one group.
func RollBack(ctx context.Context, db *bun.DB, n int) ([]string, error) {
	m := Migrator(db)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	applied := ms.Applied() // newest first
	if n >= 0 && n < len(applied) {
		applied = applied[:n]
	}
	var names []string
	for i := range applied {
		mg := &applied[i]
		if mg.Down != nil {
			if err := mg.Down(ctx, m, mg); err != nil {
				return names, fmt.Errorf("%s: down: %w", mg.Name, err)
			}
		}
		if err := m.MarkUnapplied(ctx, mg); err != nil {
			return names, err
		}
		names = append(names, mg.Name)
	}
	if n < 0 {
		// All of it: River's tables go too.
		river, err := riverMigrator(db)
		if err != nil {
			return names, err
		}
		if _, err := river.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1}); err != nil {
			return names, fmt.Errorf("roll back river: %w", err)
		}
		names = append(names, "river")
	}
	return names, nil
}
