package captchatest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// RunFailures runs the Failures contract suite against fresh, empty
// counts from newFailures on the given clock.
func RunFailures(t *testing.T, newFailures func(t *testing.T, clock ports.Clock) captcha.Failures) {
	t.Run("CountsPerKeyOverTwoWindows", func(t *testing.T) {
		t.Parallel()
		clk := &manualClock{now: portstest.T0}
		f := newFailures(t, clk)
		ctx := context.Background()
		w := 15 * time.Minute
		recent := func(keys ...string) int {
			t.Helper()
			n, err := f.RecentFailures(ctx, keys, w)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := recent("a", "b"); n != 0 {
			t.Fatalf("empty: %d", n)
		}
		must(t, f.AddFailure(ctx, []string{"a", "b"}, w))
		must(t, f.AddFailure(ctx, []string{"a"}, w))
		if n := recent("a", "b"); n != 2 {
			t.Fatalf("largest of a=2, b=1: %d", n)
		}
		if n := recent("b", "c"); n != 1 {
			t.Fatalf("b=1: %d", n)
		}
		clk.advance(w) // the next window: the previous still counts
		must(t, f.AddFailure(ctx, []string{"a"}, w))
		if n := recent("a"); n != 3 {
			t.Fatalf("over two windows: %d", n)
		}
		clk.advance(w) // the first window is now too old
		if n := recent("a"); n != 1 {
			t.Fatalf("after the first window left: %d", n)
		}
		if n := recent(); n != 0 {
			t.Fatalf("no keys: %d", n)
		}
	})
	t.Run("ConcurrentFailuresAllCount", func(t *testing.T) {
		t.Parallel()
		f := newFailures(t, &manualClock{now: portstest.T0})
		ctx := context.Background()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() { must(t, f.AddFailure(ctx, []string{"k"}, time.Minute)) })
		}
		wg.Wait()
		if n, err := f.RecentFailures(ctx, []string{"k"}, time.Minute); err != nil || n != 20 {
			t.Fatalf("got %d, %v", n, err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
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
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
