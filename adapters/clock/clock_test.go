package clock

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSystemIsUTC(t *testing.T) {
	now := System{}.Now()
	assert.Equal(t, time.UTC, now.Location())
	assert.WithinDuration(t, time.Now(), now, time.Second)
}

func TestManual(t *testing.T) {
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	m := NewManual(start)
	assert.Equal(t, start, m.Now())

	assert.Equal(t, start.Add(time.Minute), m.Advance(time.Minute))
	assert.Equal(t, start.Add(time.Minute), m.Now())

	m.Set(start)
	assert.Equal(t, start, m.Now())
}

func TestManualConcurrent(t *testing.T) {
	m := NewManual(time.Unix(0, 0).UTC())
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Advance(time.Second)
			_ = m.Now()
		}()
	}
	wg.Wait()
	assert.Equal(t, time.Unix(50, 0).UTC(), m.Now())
}
