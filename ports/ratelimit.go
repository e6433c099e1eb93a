package ports

import (
	"context"
	"time"
)

// RateLimiter counts events per key in fixed windows shared by every
// instance.
type RateLimiter interface {
	// Allow records one event for key and reports whether it stays within
	// limit events per window; when not, retryAfter says when the window
	// ends.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error)
}
