package portstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/ports"
)

// RunRateLimiter runs the RateLimiter contract suite against
// implementations from newLimiter (portsfake.RateLimiter and the
// PostgreSQL adapter), each reading time from the clock it is given, which
// the suite moves, and fresh and empty for each call.
func RunRateLimiter(t *testing.T, newLimiter func(t *testing.T, clock ports.Clock) ports.RateLimiter) {
	t.Run("FixedWindow", func(t *testing.T) { t.Parallel(); limiterFixedWindow(t, newLimiter) })
}

func limiterFixedWindow(t *testing.T, newLimiter func(t *testing.T, clock ports.Clock) ports.RateLimiter) {
	ctx := context.Background()
	clk := &manualClock{now: T0.Add(20 * time.Second)}
	l := newLimiter(t, clk)
	for i := range 3 {
		ok, _, err := l.Allow(ctx, "k", 3, time.Minute)
		noErr(t, err)
		check(t, ok, "event %d of 3 refused", i+1)
	}
	// Windows are aligned to the clock (now truncated to the window), so
	// the refusal tells how long until the minute ends, not a minute.
	ok, retry, err := l.Allow(ctx, "k", 3, time.Minute)
	noErr(t, err)
	check(t, !ok && retry == 40*time.Second, "4th event: ok=%v retryAfter=%v, want refused, 40s", ok, retry)
	ok, retry, err = l.Allow(ctx, "k", 3, time.Minute)
	noErr(t, err)
	check(t, !ok && retry == 40*time.Second, "5th event: ok=%v retryAfter=%v", ok, retry)
	ok, _, err = l.Allow(ctx, "other", 3, time.Minute)
	noErr(t, err)
	check(t, ok, "another key has its own count")
	clk.advance(30 * time.Second)
	ok, retry, err = l.Allow(ctx, "k", 3, time.Minute)
	noErr(t, err)
	check(t, !ok && retry == 10*time.Second, "later in the window: ok=%v retryAfter=%v, want 10s", ok, retry)
	clk.advance(10 * time.Second)
	ok, _, err = l.Allow(ctx, "k", 3, time.Minute)
	noErr(t, err)
	check(t, ok, "a new window starts a new count")
}

// manualClock is a clock the suite moves.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
