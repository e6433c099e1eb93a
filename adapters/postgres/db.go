// Package postgres implements Gatehouse's store ports on PostgreSQL with bun.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
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
	// PoolWait bounds waiting for a pool connection and opening one: a
	// statement (or a transaction's BEGIN) that has no connection by then
	// fails with ErrPoolWait (UNAVAILABLE).
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
// a deadline of b.StatementBound() on each statement (a frozen server
// answers neither the statement nor its cancellation), and PoolWait on
// getting a connection for it (database/sql has no pool-wait timeout of
// its own: see poolWaitCtx).
func OpenBounded(url string, maxConns int, b Bounds) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.Tracer = acquiredTracer{}
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
		db.AddQueryHook(deadlineHook{d: d, poolWait: b.PoolWait})
		bounds.Store(db, b)
	}
	return db, nil
}

// deadlineHook gives each statement a deadline, and each statement and
// BEGIN poolWait to get a connection. COMMIT and
// ROLLBACK are left alone, and BEGIN gets no deadline: database/sql rolls
// a transaction back when the context it began with ends, so the
// transaction's own bound (TxRunner) covers them.
type deadlineHook struct{ d, poolWait time.Duration }

type cancelKey struct{}

func (h deadlineHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	switch e.Query {
	case "COMMIT", "ROLLBACK":
		return ctx
	case "BEGIN":
		return withPoolWait(ctx, h.poolWait)
	}
	ctx, cancel := context.WithTimeout(ctx, h.d)
	// In a transaction the connection is at hand and the wait ends at
	// once; a statement on the pool there waits like any other.
	return withPoolWait(context.WithValue(ctx, cancelKey{}, cancel), h.poolWait)
}

func (h deadlineHook) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	if cancel, ok := ctx.Value(cancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
}

// ErrPoolWait is a statement's error when no pool connection was free (or
// could be opened) within Bounds.PoolWait. It is a context deadline, so
// it maps to UNAVAILABLE.
var ErrPoolWait error = poolWaitError{}

type poolWaitError struct{}

func (poolWaitError) Error() string {
	return "no database connection within the pool wait (GATEHOUSE_DB_POOL_WAIT)"
}
func (poolWaitError) Is(target error) bool { return target == context.DeadlineExceeded }

// poolWaitCtx is a statement's context while it gets a connection:
// database/sql waits for a free one (or opens one) until the context is
// done, so this context ends PoolWait after the statement began unless
// the statement reached its connection first (acquiredTracer, as the
// driver starts it), and whenever its parent ends. Once acquired it is its
// parent for the rest of the statement, or of the transaction when it
// began one. It is a cancelCtx underneath, so contexts derived from it
// cost no goroutine.
type poolWaitCtx struct {
	context.Context // the parent's child, cancelled with ErrPoolWait
	state           atomic.Int32
	timer           *time.Timer
}

const (
	poolWaiting int32 = iota
	poolAcquired
	poolTimedOut
)

type poolWaitKey struct{}

func withPoolWait(parent context.Context, d time.Duration) context.Context {
	if d <= 0 {
		return parent
	}
	inner, cancel := context.WithCancelCause(parent)
	c := &poolWaitCtx{Context: inner}
	c.timer = time.AfterFunc(d, func() {
		if c.state.CompareAndSwap(poolWaiting, poolTimedOut) {
			cancel(ErrPoolWait)
		}
	})
	return c
}

func (c *poolWaitCtx) Err() error {
	err := c.Context.Err()
	if err != nil && context.Cause(c.Context) == ErrPoolWait {
		return ErrPoolWait
	}
	return err
}

func (c *poolWaitCtx) Value(key any) any {
	if key == (poolWaitKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// acquired tells ctx's pool wait, if any, that its statement has its
// connection.
func acquired(ctx context.Context) {
	if c, ok := ctx.Value(poolWaitKey{}).(*poolWaitCtx); ok && c.state.CompareAndSwap(poolWaiting, poolAcquired) {
		c.timer.Stop()
	}
}

// acquiredTracer ends the pool wait of each statement as pgx starts it on
// its connection (BEGIN included: pgx runs it with Exec).
type acquiredTracer struct{}

func (acquiredTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	acquired(ctx)
	return ctx
}

func (acquiredTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

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
