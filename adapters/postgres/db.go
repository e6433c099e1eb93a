// Package postgres implements Gatehouse's store ports on PostgreSQL with bun.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
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
// bun's pgdriver because it verifies TLS certificates. Nothing bounds its
// statements: it is for migrations and commands (see OpenBounded).
func Open(url string, maxConns int) (*bun.DB, error) {
	return OpenBounded(url, maxConns, Bounds{})
}

// Bounds limit how long the server's database calls may take, so that a
// database that is down, frozen or locked makes requests fail fast
// (UNAVAILABLE) instead of hang. Zero fields bound nothing.
type Bounds struct {
	// Statement is the connection's statement_timeout.
	Statement time.Duration
	// Lock is the connection's lock_timeout.
	Lock time.Duration
	// PoolWait bounds waiting for a pool connection and opening one.
	PoolWait time.Duration
}

// StatementBound is how long one statement may take from the caller's
// side, pool wait included: the server cancels it after Statement, and
// this bound ends it even when the server answers nothing at all.
func (b Bounds) StatementBound() time.Duration {
	if b.Statement <= 0 || b.PoolWait <= 0 {
		return 0
	}
	return b.PoolWait + b.Statement + time.Second
}

// TxBound is how long a whole transaction may take, BEGIN (and its wait
// for a connection) to COMMIT: the same as one statement, since every
// transaction here is a few short statements. With the defaults (3 s +
// 5 s + 1 s) a call ends before the request's own deadline (10 s), so a
// client learns UNAVAILABLE rather than a deadline.
func (b Bounds) TxBound() time.Duration { return b.StatementBound() }

// bounds remembers the Bounds each bounded pool was opened with, for its
// TxRunner.
var bounds sync.Map // *bun.DB → Bounds

// OpenBounded is Open with b on every connection: statement_timeout and
// lock_timeout as connection parameters, a connect timeout of PoolWait,
// and a deadline of b.StatementBound() on each statement (database/sql
// has no pool-wait timeout of its own, and a frozen server answers
// neither the statement nor its cancellation).
func OpenBounded(url string, maxConns int, b Bounds) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	if b.Statement > 0 {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(b.Statement.Milliseconds(), 10)
	}
	if b.Lock > 0 {
		cfg.RuntimeParams["lock_timeout"] = strconv.FormatInt(b.Lock.Milliseconds(), 10)
	}
	if b.PoolWait > 0 && (cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > b.PoolWait) {
		cfg.ConnectTimeout = b.PoolWait
	}
	sqldb := stdlib.OpenDB(*cfg)
	if maxConns <= 0 {
		maxConns = 20
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	if d := b.StatementBound(); d > 0 {
		db.AddQueryHook(deadlineHook{d: d})
		bounds.Store(db, b)
	}
	return db, nil
}

// deadlineHook gives each statement a deadline. BEGIN, COMMIT and
// ROLLBACK are left alone: database/sql rolls a transaction back when the
// context it began with ends, so the transaction's own bound (TxRunner)
// covers them.
type deadlineHook struct{ d time.Duration }

type cancelKey struct{}

func (h deadlineHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	switch e.Query {
	case "BEGIN", "COMMIT", "ROLLBACK":
		return ctx
	}
	ctx, cancel := context.WithTimeout(ctx, h.d)
	return context.WithValue(ctx, cancelKey{}, cancel)
}

func (h deadlineHook) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	if cancel, ok := ctx.Value(cancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
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
