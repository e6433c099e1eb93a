package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// RateLimiter implements ports.RateLimiter with fixed windows in one
// table, so every instance shares the counts.
type RateLimiter struct {
	db    *bun.DB
	clock ports.Clock
}

var _ ports.RateLimiter = (*RateLimiter)(nil)

// NewRateLimiter returns a limiter over db.
func NewRateLimiter(db *bun.DB, clock ports.Clock) *RateLimiter {
	return &RateLimiter{db: db, clock: clock}
}

// Allow is one upsert per event: the count can't be lost under concurrency.
func (l *RateLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.clock.Now()
	start := now.Truncate(window)
	var count int
	err := conn(ctx, l.db).NewRaw(`
		INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
		RETURNING count`, key, start).Scan(ctx, &count)
	if err != nil {
		return false, 0, mapErr(err)
	}
	if count > limit {
		return false, start.Add(window).Sub(now), nil
	}
	return true, 0, nil
}
