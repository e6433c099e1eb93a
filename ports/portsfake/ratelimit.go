package portsfake

import (
	"context"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.RateLimiter = (*RateLimiter)(nil)

type windowKey struct {
	key   string
	start int64 // unix nanoseconds of the window start
}

// RateLimiter implements ports.RateLimiter with fixed windows aligned like
// the PostgreSQL adapter's (now truncated to the window), read from clock.
type RateLimiter struct {
	clock  ports.Clock
	mu     sync.Mutex
	counts map[windowKey]int
}

// NewRateLimiter returns a limiter reading time from clock.
func NewRateLimiter(clock ports.Clock) *RateLimiter {
	return &RateLimiter{clock: clock, counts: map[windowKey]int{}}
}

// Allow counts one event and refuses it when the window already holds
// limit events, telling when the window ends.
func (l *RateLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.clock.Now()
	start := now.Truncate(window)
	l.mu.Lock()
	k := windowKey{key: key, start: start.UnixNano()}
	l.counts[k]++
	count := l.counts[k]
	l.mu.Unlock()
	if count > limit {
		return false, start.Add(window).Sub(now), nil
	}
	return true, 0, nil
}
