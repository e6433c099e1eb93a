package platform_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/platform"
)

// chanWatcher is a fake platform.Watcher fed by the test.
type chanWatcher struct {
	up      chan bool
	changed chan uuid.UUID
}

func (w chanWatcher) Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u := <-w.up:
			up(u)
		case id := <-w.changed:
			changed(id)
		}
	}
}

// TestAnnouncedChangesDropTheCache: the platform's change id and a
// reconnection drop the cached settings; a user's change and the first
// LISTEN do not.
func TestAnnouncedChangesDropTheCache(t *testing.T) {
	e := newEnv(t)
	w := chanWatcher{up: make(chan bool), changed: make(chan uuid.UUID)}
	e.svc.Start(w, nil)
	t.Cleanup(func() { _ = e.svc.Stop(context.Background()) })
	ctx := context.Background()
	reads := func() int {
		_, err := e.svc.AppConfig(ctx, "WEB", "")
		require.NoError(t, err)
		return e.store.SettingsReads()
	}
	n := reads()
	require.Equal(t, n, reads(), "cached")
	w.up <- true
	w.changed <- uuid.New() // a user's sessions: not ours
	w.changed <- uuid.New() // the second send returns once the first was handled
	require.Equal(t, n, reads(), "a user's change and the first LISTEN keep the cache")
	for _, announce := range []func(){
		func() { w.changed <- platform.ChangeID },
		func() { w.changed <- uuid.Nil },
		func() { w.up <- false; w.up <- true },
	} {
		announce()
		deadline := time.Now().Add(time.Second)
		for reads() == n {
			require.False(t, time.Now().After(deadline), "the cache was not dropped")
			time.Sleep(time.Millisecond)
		}
		n = reads()
	}
}
