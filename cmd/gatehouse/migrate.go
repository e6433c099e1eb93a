package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// migrate applies, rolls back (one group) or lists migrations.
func migrate(args []string, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: gatehouse migrate up|down|status")
	}
	cfg, err := loadConfig(app.ScopeDatabase)
	if err != nil {
		return err
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
		if err := m.Lock(ctx); err != nil {
			return err
		}
		defer m.Unlock(ctx) //nolint:errcheck
		group, err := m.Rollback(ctx)
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Fprintln(out, "nothing to roll back")
		}
		for _, mg := range group.Migrations {
			fmt.Fprintln(out, "rolled back", mg.Name)
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
	default:
		return fmt.Errorf("unknown migrate command %q (want up, down or status)", args[0])
	}
	return nil
}
