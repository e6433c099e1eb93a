package perimeter_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func startGate(t *testing.T, s perimeter.Store, w perimeter.Watcher) *perimeter.Gate {
	t.Helper()
	g := perimeter.NewGate(s, w, nil, nil, nil, clock.NewManual(portstest.T0), quiet)
	g.PollWhileDown = 50 * time.Millisecond
	if err := g.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Stop(context.Background()) })
	return g
}

func TestGateReloadsWhenTheRestrictionsChange(t *testing.T) {
	s, w := perimetertest.NewStore(), perimetertest.NewWatcher()
	g := startGate(t, s, w)
	waitFor(t, "the watch", func() bool { return w.Watching() == 1 })
	w.Up(true)
	waitFor(t, "the reload on listening", func() bool { return s.Reads() >= 2 })
	reads := s.Reads()
	if err := s.Create(context.Background(), rule(1, perimeter.ScopeAll, "", perimeter.CategoryBlacklist)); err != nil {
		t.Fatal(err)
	}
	// A user's change is not the restrictions'.
	w.Change(uuid.New())
	time.Sleep(100 * time.Millisecond)
	if s.Reads() != reads || g.Count() != 0 {
		t.Fatalf("reloaded on a user's change (reads %d → %d)", reads, s.Reads())
	}
	w.Change(perimeter.ChangeID)
	waitFor(t, "the reload on a change", func() bool { return g.Count() == 1 })
}

func TestGateKeepsItsSnapshotAndPollsWhileTheListenerIsDown(t *testing.T) {
	s, w := perimetertest.NewStore(), perimetertest.NewWatcher()
	if err := s.Create(context.Background(), rule(1, perimeter.ScopeAll, "", perimeter.CategoryBlacklist)); err != nil {
		t.Fatal(err)
	}
	g := startGate(t, s, w)
	waitFor(t, "the watch", func() bool { return w.Watching() == 1 })
	w.Up(true)
	w.Up(false)
	if g.Count() != 1 {
		t.Fatal("the snapshot was dropped when the listener went down")
	}
	// No notification comes; polling finds the change.
	if err := s.Create(context.Background(), rule(2, perimeter.ScopeAll, "", perimeter.CategoryMaintenance)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the poll", func() bool { return g.Count() == 2 })
}

type failingStore struct {
	*perimetertest.Store
	fail bool
}

func (f *failingStore) All(ctx context.Context) ([]perimeter.Restriction, error) {
	if f.fail {
		return nil, errors.New("database down")
	}
	return f.Store.All(ctx)
}

func TestGateDoesNotStartWithoutItsRules(t *testing.T) {
	g := perimeter.NewGate(&failingStore{Store: perimetertest.NewStore(), fail: true}, perimetertest.NewWatcher(),
		nil, nil, nil, clock.NewManual(portstest.T0), quiet)
	if err := g.Start(context.Background()); err == nil {
		_ = g.Stop(context.Background())
		t.Fatal("started without loading the restrictions")
	}
}
