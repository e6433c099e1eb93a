// Package clock provides ports.Clock implementations: the real clock and a
// manual one that tests move by hand.
package clock

import (
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/ports"
)

var (
	_ ports.Clock = System{}
	_ ports.Clock = (*Manual)(nil)
)

// System is the wall clock. It returns UTC so that stored and compared
// times never depend on the host's time zone.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Manual is a clock that only moves when told to. It lives in a non-test
// file so that tests in other packages can share it; it is safe for
// concurrent use because services under test read it from many goroutines.
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a Manual clock set to t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now returns the clock's current time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Set moves the clock to t (backwards too).
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = t
}

// Advance moves the clock forward by d and returns the new time.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
	return m.now
}
