package platform_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// outageStore is the fake store with an outage switch: down, every read
// fails (as the PostgreSQL store does: UNAVAILABLE); hold, Settings waits
// until released (a frozen database).
type outageStore struct {
	platform.Store
	mu   sync.Mutex
	down bool
	hold chan struct{}
}

func (s *outageStore) Settings(ctx context.Context) (platform.Settings, error) {
	s.mu.Lock()
	down, hold := s.down, s.hold
	s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if down {
		return platform.Settings{}, ports.Unavailable(nil)
	}
	return s.Store.Settings(ctx)
}

func outageEnv(t *testing.T, maxStale time.Duration) (*env, *outageStore) {
	t.Helper()
	e := newEnv(t)
	st := &outageStore{Store: e.store}
	e.svc = platform.NewService(platform.Config{CacheTTL: cacheTTL, MaxStale: maxStale}, st, e.clock)
	return e, st
}

func TestLastGoodSettingsAnswerThroughAnOutage(t *testing.T) {
	ctx := context.Background()
	e, st := outageEnv(t, 10*time.Minute)
	_, err := e.svc.AppConfig(ctx, "IOS", "")
	require.NoError(t, err)

	st.mu.Lock()
	st.down = true
	st.mu.Unlock()
	e.clock.Advance(5 * time.Minute) // past the TTL, within MaxStale
	cfg, err := e.svc.AppConfig(ctx, "IOS", "")
	require.NoError(t, err, "the last good settings answer while the database is down")
	require.Equal(t, "2.0", cfg.MinimumVersion)
	on, _, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	require.False(t, on)

	e.clock.Advance(6 * time.Minute) // past MaxStale: the outage shows
	_, err = e.svc.AppConfig(ctx, "IOS", "")
	errtest.Code(t, err, ports.CodeUnavailable)

	st.mu.Lock()
	st.down = false
	st.mu.Unlock()
	_, err = e.svc.AppConfig(ctx, "IOS", "")
	require.NoError(t, err, "back to normal once the database answers")
}

// A read that hangs (a frozen database) holds up only the request making
// it: the others get the last good settings at once.
func TestAHangingReadDoesNotQueueOtherRequests(t *testing.T) {
	ctx := context.Background()
	e, st := outageEnv(t, 10*time.Minute)
	_, err := e.svc.AppConfig(ctx, "IOS", "")
	require.NoError(t, err)

	release := make(chan struct{})
	st.mu.Lock()
	st.hold = release
	st.mu.Unlock()
	e.clock.Advance(time.Minute)
	first := make(chan error, 1)
	go func() { _, err := e.svc.AppConfig(ctx, "IOS", ""); first <- err }()
	// Wait until the first request is inside the hanging read.
	require.Eventually(t, func() bool {
		done := make(chan struct{})
		go func() { _, _, _ = e.svc.Maintenance(ctx); close(done) }()
		select {
		case <-done:
			return true
		case <-time.After(time.Second):
			return false
		}
	}, 5*time.Second, 10*time.Millisecond)
	for i := 0; i < 5; i++ {
		_, err := e.svc.AppConfig(ctx, "IOS", "")
		require.NoError(t, err)
	}
	close(release)
	require.NoError(t, <-first)
}
