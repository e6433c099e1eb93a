// Package postgres implements Gatehouse's store ports on PostgreSQL with bun.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// Reason is why a connection failed, in a few words an operator can act
// on: the network error (refused, no such host, timeout) or the server's
// own message (a wrong password, a database that does not exist), without
// the driver's account of every address and TLS mode it tried.
func Reason(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Message
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return err.Error()
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
