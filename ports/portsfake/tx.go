package portsfake

import (
	"context"
	"sync/atomic"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.TxRunner = (*TxRunner)(nil)

// TxRunner implements ports.TxRunner by calling fn with ctx. It does NOT
// roll back: writes made inside fn before it fails stay in the fakes. Tests
// that depend on a rollback belong with the PostgreSQL adapters.
type TxRunner struct {
	calls atomic.Int64
}

// NewTxRunner returns a TxRunner.
func NewTxRunner() *TxRunner { return &TxRunner{} }

// InTx calls fn and returns its error.
func (r *TxRunner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	r.calls.Add(1)
	return fn(ctx)
}

// Calls reports how many times InTx ran.
func (r *TxRunner) Calls() int { return int(r.calls.Load()) }
