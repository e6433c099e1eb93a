package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/accounts"
)

// TestAccountChangesAreAnnouncedToTheirOwner: what me.accounts shows (an
// account, its portfolios) announces its owner on the sessions channel
// when the change commits, once per transaction; a rolled-back change
// announces nothing.
func TestAccountChangesAreAnnouncedToTheirOwner(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	ch := sessionEvents(t, db, 100*time.Millisecond)
	expectEvent(t, ch, "up", "once listening")

	store, tx := postgres.NewAccountStore(db), postgres.NewTxRunner(db)
	u := newUser(t, db, "+447911150101")
	sessionSentinel(t, db, ch, "nothing before the first account")

	a := accounts.Account{ID: uuid.New(), UserID: u.ID, Email: "a@example.com", Active: true,
		AdditionalInfo: json.RawMessage("{}"), CreatedAt: t0}
	must(t, store.CreateAccount(ctx, a))
	expectEvent(t, ch, u.ID.String(), "an account opened")
	sessionSentinel(t, db, ch, "an account opened: announced more than once")

	n := 0
	portfolio := func() accounts.Portfolio {
		n++
		return accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: fmt.Sprint("P", n), Type: accounts.PortfolioTrading,
			Address: fmt.Sprintf("0x%040X", 0xACC0+n), CreatedAt: t0.Add(time.Duration(n) * time.Second)}
	}
	// The first TRADING portfolio also sets the account's default: one
	// announcement for the transaction.
	must(t, store.CreatePortfolio(ctx, portfolio()))
	expectEvent(t, ch, u.ID.String(), "a portfolio created")
	sessionSentinel(t, db, ch, "a portfolio created: announced more than once")

	// A portfolio created in a transaction that rolls back: nothing.
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if err := store.CreatePortfolio(ctx, portfolio()); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	sessionSentinel(t, db, ch, "the rolled-back portfolio was announced")

	for _, c := range []struct{ what, sql string }{
		{"an account closed", `UPDATE accounts SET active = false WHERE id = ?`},
		{"a portfolio renamed", `UPDATE portfolios SET name = 'renamed' WHERE account_id = ?`},
		{"a portfolio removed", `DELETE FROM portfolios WHERE account_id = ? AND id <> (SELECT default_portfolio_id FROM accounts WHERE id = account_id)`},
	} {
		if c.what == "a portfolio removed" {
			must(t, store.CreatePortfolio(ctx, portfolio()))
			expectEvent(t, ch, u.ID.String(), "another portfolio created")
		}
		_, err := db.ExecContext(ctx, c.sql, a.ID)
		must(t, err)
		expectEvent(t, ch, u.ID.String(), c.what)
		sessionSentinel(t, db, ch, c.what+": announced more than once")
	}

	// A closing rolled back: nothing.
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET active = true WHERE id = ?`, a.ID); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	sessionSentinel(t, db, ch, "the rolled-back reopening was announced")
}

// TestWatchHubSharesOneConnection: the session and accounts caches watch
// through one hub: one LISTEN connection, every event to each, and a
// watcher that joins while it listens is told so at once.
func TestWatchHubSharesOneConnection(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	w := postgres.NewSessionWatcher(db)
	// Long enough that a loaded machine's slow ping does not end the
	// connection (a heartbeat unanswered within it reconnects, and the test
	// would see "down", or two connections for a moment).
	w.Heartbeat = 2 * time.Second
	hub := postgres.NewWatchHub(w)
	wctx, cancel := context.WithCancel(ctx)
	watch := func() <-chan string {
		ch := make(chan string, 100)
		go func() {
			_ = hub.Watch(wctx, func(up bool) { ch <- map[bool]string{true: "up", false: "down"}[up] },
				func(id uuid.UUID) { ch <- id.String() })
		}()
		return ch
	}
	first := watch()
	expectEvent(t, first, "up", "the first watcher")
	second := watch()
	expectEvent(t, second, "up", "a watcher joining while the hub listens")

	var listening int
	must(t, db.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND query IN ('LISTEN `+postgres.SessionChannel+`', 'SELECT 1')`).Scan(ctx, &listening))
	if listening != 1 {
		t.Fatalf("%d listening connections, want 1", listening)
	}
	id := uuid.NewString()
	_, err := db.ExecContext(ctx, "SELECT pg_notify(?, ?)", postgres.SessionChannel, id)
	must(t, err)
	expectEvent(t, first, id, "the first watcher hears a change")
	expectEvent(t, second, id, "the second watcher hears it too")

	cancel()
	hub.Wait()
}
