package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

type txKey struct{}

// TxRunner implements ports.TxRunner; the bun.Tx travels in the context.
type TxRunner struct{ db *bun.DB }

var _ ports.TxRunner = (*TxRunner)(nil)

// NewTxRunner returns a runner over db.
func NewTxRunner(db *bun.DB) *TxRunner { return &TxRunner{db: db} }

// InTx runs fn in a transaction, or inside the caller's when ctx already
// carries one (so services compose without knowing who started it). On a
// bounded pool (OpenBounded) the whole transaction ends after
// Bounds.TxBound.
func (r *TxRunner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return fn(ctx)
	}
	if b, ok := bounds.Load(r.db); ok {
		if d := b.(Bounds).TxBound(); d > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
	}
	// fn's own errors come back as they are (its statements map theirs; a
	// blob store's or another party's are not the database's to judge); a
	// failed BEGIN or COMMIT (the database down, the transaction's bound
	// spent) is mapped like any statement's.
	var fnErr error
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		fnErr = fn(context.WithValue(ctx, txKey{}, tx))
		return fnErr
	})
	if err == nil || (fnErr != nil && errors.Is(err, fnErr)) {
		return err
	}
	return mapErr(err)
}

// conn returns the transaction carried by ctx, or the pool.
func conn(ctx context.Context, db *bun.DB) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return db
}

// savepointName is the savepoint guarded statements run under. Savepoints
// of the same name nest: ROLLBACK TO and RELEASE act on the newest one.
const savepointName = "gatehouse_guard"

// guarded runs fn (which must use the db it is given) under a SAVEPOINT
// when ctx carries a transaction, so that an error of fn (a unique
// violation a caller may tolerate, say) rolls back to the savepoint and
// leaves the caller's transaction usable instead of aborted (25P02).
// Without a transaction it calls fn on db: a failed statement then aborts
// nothing else.
func guarded(ctx context.Context, db *bun.DB, fn func(db bun.IDB) error) error {
	tx, ok := ctx.Value(txKey{}).(bun.Tx)
	if !ok {
		return fn(db)
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+savepointName); err != nil {
		return mapErr(err)
	}
	if err := fn(tx); err != nil {
		// Roll back even when ctx is done: the transaction must be left
		// usable for whoever decides to tolerate err.
		if _, rbErr := tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+savepointName); rbErr != nil {
			return fmt.Errorf("%w (and rolling back to the savepoint failed: %v)", err, rbErr)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+savepointName); err != nil {
		return mapErr(err)
	}
	return nil
}
