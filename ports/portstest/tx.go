package portstest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// RunTxRunner runs the TxRunner contract suite against implementations
// from newTx (portsfake.TxRunner and the PostgreSQL adapter): what both
// promise a service. That fn's error rolls back its writes only the
// adapter can keep; its own tests check it.
func RunTxRunner(t *testing.T, newTx func(t *testing.T) ports.TxRunner) {
	t.Run("ReturnsWhatFnReturns", func(t *testing.T) { t.Parallel(); txReturns(t, newTx(t)) })
	t.Run("Nested", func(t *testing.T) { t.Parallel(); txNested(t, newTx(t)) })
}

type txKey struct{}

func txReturns(t *testing.T, tx ports.TxRunner) {
	ctx := context.WithValue(context.Background(), txKey{}, "caller")
	calls := 0
	noErr(t, tx.InTx(ctx, func(ctx context.Context) error {
		calls++
		check(t, ctx.Value(txKey{}) == "caller", "fn's context lost the caller's values")
		return nil
	}))
	check(t, calls == 1, "fn ran %d times, want once", calls)

	// A wrapped domain error comes back as it was, so its code survives.
	boom := fmt.Errorf("then: %w", ports.Errorf(ports.CodeConflict, "taken"))
	err := tx.InTx(ctx, func(context.Context) error { return boom })
	check(t, errors.Is(err, boom) && ports.ErrorCodeOf(err) == ports.CodeConflict, "fn's error: %v", err)
}

func txNested(t *testing.T, tx ports.TxRunner) {
	ctx := context.Background()
	inner := errors.New("inner failed")
	ran := false
	err := tx.InTx(ctx, func(ctx context.Context) error {
		return tx.InTx(ctx, func(ctx context.Context) error {
			ran = true
			return inner
		})
	})
	check(t, ran && errors.Is(err, inner), "nested: ran=%v err=%v", ran, err)
	noErr(t, tx.InTx(ctx, func(ctx context.Context) error {
		return tx.InTx(ctx, func(context.Context) error { return nil })
	}))
}
