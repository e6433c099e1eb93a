// Package postgres implements Gatehouse's store ports on PostgreSQL with bun.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Open connects to url with pgx in simple-protocol mode: bun interpolates
// arguments itself, so every statement text is unique and the extended
// protocol would pay a prepare on each query. pgx is used rather than
// bun's pgdriver because it verifies TLS certificates.
func Open(url string, maxConns int) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	sqldb := stdlib.OpenDB(*cfg)
	if maxConns <= 0 {
		maxConns = 20
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *bun.DB) error {
	return db.PingContext(ctx)
}

// mapRows turns scanned rows into port values with each row's toPort.
func mapRows[R, P any](rows []R, toPort func(R) P) []P {
	out := make([]P, len(rows))
	for i, r := range rows {
		out[i] = toPort(r)
	}
	return out
}
