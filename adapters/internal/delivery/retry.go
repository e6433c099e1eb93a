// Package delivery holds what the adapters that hand a message to an
// outside party (SMS, e-mail) share: one retry loop with capped
// exponential backoff, and the masking and scrubbing that keep a
// destination and a message's text out of logs and errors.
package delivery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy says how one delivery is retried.
type Policy struct {
	// Attempts is how many attempts in all, the first included (at least 1).
	Attempts int
	// FirstWait is the wait after the first failed attempt, doubled after
	// each next one, plus up to half again of jitter.
	FirstWait time.Duration
	// MaxWait caps one wait, a server's own hint included; 0 means no cap.
	MaxWait time.Duration
	// Transient reports whether a failed attempt may succeed if made
	// again (and cannot deliver the message twice).
	Transient func(error) bool
	// Sleep waits d or until ctx is done; nil means Sleep. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Retrying, when set, is told of each failed attempt about to be
	// retried, before the wait (for a log line).
	Retrying func(attempt int, wait time.Duration, err error)
}

// Retry calls attempt until it succeeds, fails for good, the attempts are
// used up or ctx is done. attempt returns how long the other side asked us
// to wait before the next try (0 when it did not say); the wait is the
// larger of that and the backoff, capped at MaxWait. Retry returns how many
// attempts were made and
//   - nil when one succeeded;
//   - the attempt's error as it is when the first attempt failed for good;
//   - "giving up after N attempts: <last error>" when more than one was made;
//   - "<ctx's error> (last error: <text>)", wrapping only ctx's error, when
//     ctx ended, so a cancelled delivery reads as cancelled.
func Retry(ctx context.Context, p Policy, attempt func(ctx context.Context) (time.Duration, error)) (int, error) {
	sleep := p.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	for n := 1; ; n++ {
		hint, err := attempt(ctx)
		if err == nil {
			return n, nil
		}
		if ctx.Err() != nil {
			return n, fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		}
		if n >= p.Attempts || !p.Transient(err) {
			if n > 1 {
				return n, fmt.Errorf("giving up after %d attempts: %w", n, err)
			}
			return n, err
		}
		wait := max(Backoff(n, p.FirstWait, p.MaxWait), hint)
		if p.MaxWait > 0 {
			wait = min(wait, p.MaxWait)
		}
		if p.Retrying != nil {
			p.Retrying(n, wait, err)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return n, fmt.Errorf("%w (last error: %v)", serr, err)
		}
	}
}

// Backoff is the wait after failed attempt n (1-based): first doubled per
// attempt, plus up to half again of jitter (so that senders that failed
// together do not retry together), capped at maxWait unless it is 0.
func Backoff(n int, first, maxWait time.Duration) time.Duration {
	d := first
	for i := 1; i < n && (maxWait <= 0 || d < maxWait); i++ {
		d *= 2
	}
	d += rand.N(d/2 + 1)
	if maxWait > 0 {
		d = min(d, maxWait)
	}
	return d
}

// Sleep waits d, or returns ctx's error as soon as ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
