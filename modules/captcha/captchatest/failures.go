// Package captchatest holds the captcha module's fake of Failures and its
// contract suite, run against the fake and against PostgreSQL.
package captchatest

import (
	"context"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/ports"
)

// Failures is an in-memory captcha.Failures with the same fixed windows
// as the PostgreSQL one.
type Failures struct {
	clock ports.Clock

	mu     sync.Mutex
	counts map[string]map[time.Time]int
}

var _ captcha.Failures = (*Failures)(nil)

// NewFailures returns empty counts on clock.
func NewFailures(clock ports.Clock) *Failures {
	return &Failures{clock: clock, counts: map[string]map[time.Time]int{}}
}

// AddFailure counts one failure per key in the current window.
func (f *Failures) AddFailure(_ context.Context, keys []string, window time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	start := f.clock.Now().Truncate(window)
	for _, k := range keys {
		if f.counts[k] == nil {
			f.counts[k] = map[time.Time]int{}
		}
		f.counts[k][start]++
	}
	return nil
}

// RecentFailures is the largest of the keys' sums over the current and
// previous windows.
func (f *Failures) RecentFailures(_ context.Context, keys []string, window time.Duration) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	since := f.clock.Now().Truncate(window).Add(-window)
	most := 0
	for _, k := range keys {
		sum := 0
		for start, n := range f.counts[k] {
			if !start.Before(since) {
				sum += n
			}
		}
		most = max(most, sum)
	}
	return most, nil
}
