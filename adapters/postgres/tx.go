package postgres

import (
	"context"
	"database/sql"

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
// carries one (so services compose without knowing who started it).
func (r *TxRunner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return fn(ctx)
	}
	return r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// conn returns the transaction carried by ctx, or the pool.
func conn(ctx context.Context, db *bun.DB) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return db
}
