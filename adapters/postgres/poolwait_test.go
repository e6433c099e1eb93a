package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/ports"
)

// The pool wait bounds getting a connection only: a statement or a
// transaction that got one may run longer than the pool wait, and one
// that gets none fails with ErrPoolWait as UNAVAILABLE.
func TestPoolWaitBoundsOnlyTheWait(t *testing.T) {
	const wait = 300 * time.Millisecond
	db, err := postgres.OpenBounded(pgtest.URL(t), 1, postgres.Bounds{Statement: 10 * time.Second, Lock: time.Second, PoolWait: wait})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	// Longer than the pool wait, on a connection it has: not cut.
	if _, err := db.ExecContext(ctx, "SELECT pg_sleep(1)"); err != nil {
		t.Fatalf("a statement longer than the pool wait: %v", err)
	}
	txs := postgres.NewTxRunner(db)
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "SELECT pg_sleep(0.6)")
		return err
	}); err != nil {
		t.Fatalf("a transaction longer than the pool wait: %v", err)
	}

	// The only connection is held: the next statement gets none.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"statement", func() error {
			var one int
			return db.NewRaw("SELECT 1").Scan(ctx, &one)
		}},
		{"transaction", func() error {
			return txs.InTx(ctx, func(context.Context) error { return nil })
		}},
		{"bun.RunInTx", func() error {
			return db.RunInTx(ctx, nil, func(context.Context, bun.Tx) error { return nil })
		}},
		{"pool statement in a transaction", func() error {
			// Never in the stores (they use the transaction), but bounded
			// all the same: the pool's one connection is the caller's.
			conn.Close()
			return db.RunInTx(ctx, nil, func(ctx context.Context, _ bun.Tx) error {
				_, err := db.ExecContext(ctx, "SELECT 1")
				return err
			})
		}},
	} {
		name := c.name
		start := time.Now()
		err := c.run()
		took := time.Since(start)
		if !errors.Is(err, postgres.ErrPoolWait) {
			t.Fatalf("%s with the pool spent: %v, want ErrPoolWait", name, err)
		}
		if name == "transaction" && ports.ErrorCodeOf(err) != ports.CodeUnavailable {
			t.Fatalf("%s with the pool spent: %v is not UNAVAILABLE", name, err)
		}
		if took < wait || took > wait+2*time.Second {
			t.Fatalf("%s with the pool spent failed after %s, pool wait %s", name, took, wait)
		}
	}
}
