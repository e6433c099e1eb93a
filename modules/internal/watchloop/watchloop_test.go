package watchloop_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/internal/watchloop"
)

// The cache hears the watcher's up and its news while it runs, and a
// final down when it is stopped, so it never serves without a listener.
func TestStartThenStop(t *testing.T) {
	var mu sync.Mutex
	var live []bool
	var forgot []uuid.UUID
	user := uuid.New()
	heard := make(chan struct{})
	watch := func(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
		up(true)
		changed(user)
		close(heard)
		<-ctx.Done()
		return ctx.Err()
	}
	var l watchloop.Loop
	l.Start("test cache", slog.New(slog.NewTextHandler(io.Discard, nil)), watch,
		func(b bool) { mu.Lock(); live = append(live, b); mu.Unlock() },
		func(id uuid.UUID) { mu.Lock(); forgot = append(forgot, id); mu.Unlock() })
	<-heard
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	require.NoError(t, l.Stop(ctx))
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []bool{true, false}, live)
	require.Equal(t, []uuid.UUID{user}, forgot)
	require.NoError(t, l.Stop(ctx), "a second stop is nothing")
}

// A watcher that ends on its own leaves the cache down.
func TestAWatcherThatEndsLeavesTheCacheDown(t *testing.T) {
	ended := make(chan struct{})
	var l watchloop.Loop
	var last bool
	l.Start("test cache", slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(ctx context.Context, up func(bool), _ func(uuid.UUID)) error {
			up(true)
			return errors.New("no driver")
		},
		func(b bool) {
			last = b
			if !b {
				close(ended)
			}
		}, func(uuid.UUID) {})
	<-ended
	require.NoError(t, l.Stop(context.Background()))
	require.False(t, last)
}

func TestStopWithoutStart(t *testing.T) {
	var l watchloop.Loop
	require.NoError(t, l.Stop(context.Background()))
}
