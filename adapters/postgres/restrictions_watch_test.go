package postgres_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
)

// TestRestrictionChangesAreAnnouncedOnTheSharedChannel: each committed
// change of the restrictions announces perimeter.ChangeID (no user's id)
// on the sessions channel, once per statement; a rolled-back one
// announces nothing.
func TestRestrictionChangesAreAnnouncedOnTheSharedChannel(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	ch := sessionEvents(t, db, time.Hour)
	expectEvent(t, ch, "up", "once listening")
	s := postgres.NewRestrictionStore(db)
	r := perimetertest.Rule(1, perimeter.ScopeIP, "203.0.113.7", perimeter.CategoryBlacklist)
	must(t, s.Create(ctx, r))
	expectEvent(t, ch, perimeter.ChangeID.String(), "an insert")

	tx, err := db.BeginTx(ctx, nil)
	must(t, err)
	_, err = tx.ExecContext(ctx, `DELETE FROM restrictions WHERE id = ?`, r.ID)
	must(t, err)
	must(t, tx.Rollback())
	ok, err := s.Delete(ctx, r.ID)
	must(t, err)
	if !ok {
		t.Fatal("the rolled-back delete deleted")
	}
	expectEvent(t, ch, perimeter.ChangeID.String(), "the committed delete")
	select {
	case e := <-ch:
		t.Fatalf("unexpected event %q (the rolled-back delete?)", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestGateFollowsTheDatabaseThroughAnOutage: a gate on the real store and
// the shared listening connection applies a change within a second, and
// one made while every connection of the database was cut (the listener
// with them) once it is back.
func TestGateFollowsTheDatabaseThroughAnOutage(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	w := postgres.NewSessionWatcher(db)
	w.Heartbeat = 20 * time.Millisecond
	hub := postgres.NewWatchHub(w)
	store := postgres.NewRestrictionStore(db)
	g := perimeter.NewGate(store, hub, nil, nil, nil, clock.System{}, slog.New(slog.DiscardHandler))
	must(t, g.Start(ctx))
	t.Cleanup(func() { _ = g.Stop(context.Background()); hub.Wait() })

	count := func(want int, what string) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for g.Count() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the gate holds %d rules, want %d within a second", what, g.Count(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	// Give the listener its first LISTEN before the first change.
	time.Sleep(100 * time.Millisecond)
	must(t, store.Create(ctx, perimetertest.Rule(1, perimeter.ScopeAll, "", perimeter.CategoryBlacklist)))
	count(1, "a change while listening")

	var cut int
	must(t, db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(ctx, &cut))
	// The pool reconnects for this insert; the listener may not have yet.
	var err error
	for range 50 {
		if err = store.Create(ctx, perimetertest.Rule(2, perimeter.ScopeAll, "", perimeter.CategoryMaintenance)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, err)
	if g.Count() < 1 {
		t.Fatal("the snapshot was dropped in the outage")
	}
	count(2, "a change made during the outage")
}
