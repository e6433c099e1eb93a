// Package migrations holds Gatehouse's SQL migrations, embedded in the
// binary and applied with bun/migrate. Each change is a pair of files
// <version>_<name>.tx.up.sql / .tx.down.sql (run inside a transaction).
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFiles embed.FS

// Migrations is the ordered set of all migrations.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFiles); err != nil {
		panic(err)
	}
}
