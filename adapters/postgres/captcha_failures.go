package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/ports"
)

// CaptchaFailures counts failed sign-ins in the rate limits' table (fixed
// windows, swept by the janitor after a day), so every instance sees the
// same counts.
type CaptchaFailures struct {
	db    *bun.DB
	clock ports.Clock
}

var _ captcha.Failures = (*CaptchaFailures)(nil)

// NewCaptchaFailures returns the counts over db.
func NewCaptchaFailures(db *bun.DB, clock ports.Clock) *CaptchaFailures {
	return &CaptchaFailures{db: db, clock: clock}
}

// AddFailure is one upsert of every key: concurrent failures all count.
func (f *CaptchaFailures) AddFailure(ctx context.Context, keys []string, window time.Duration) error {
	if len(keys) == 0 {
		return nil
	}
	start := f.clock.Now().Truncate(window)
	_, err := conn(ctx, f.db).NewRaw(`
		INSERT INTO rate_limits (key, window_start, count)
		SELECT DISTINCT k, ?::timestamptz, 1 FROM unnest(?::text[]) AS k
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1`,
		start, pgdialect.Array(keys)).Exec(ctx)
	return mapErr(err)
}

// RecentFailures sums each key's current and previous windows and returns
// the largest sum, in one statement.
func (f *CaptchaFailures) RecentFailures(ctx context.Context, keys []string, window time.Duration) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	since := f.clock.Now().Truncate(window).Add(-window)
	var n int
	err := conn(ctx, f.db).NewRaw(`
		SELECT coalesce(max(total), 0) FROM (
			SELECT sum(count) AS total FROM rate_limits WHERE key IN (?) AND window_start >= ? GROUP BY key) t`,
		bun.In(keys), since).Scan(ctx, &n)
	if err != nil {
		return 0, mapErr(err)
	}
	return n, nil
}
