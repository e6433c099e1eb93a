// Package migrations holds Gatehouse's SQL migrations, embedded in the
// binary and applied with bun/migrate. Each change is a pair of files
// <version>_<name>.tx.up.sql / .tx.down.sql (run inside a transaction).
package migrations

import (
	"embed"
	"io/fs"

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

// Files are the migrations' SQL files (the fake permission rules read
// the default rows from them, so tests and the database agree).
func Files() fs.FS { return sqlFiles }
