package captcha

import (
	"context"
	"time"
)

// Failures counts failed sign-ins per key (an identifier's or a client's)
// in fixed windows shared by every instance.
type Failures interface {
	// AddFailure counts one failure against each key in the window now
	// falls in.
	AddFailure(ctx context.Context, keys []string, window time.Duration) error
	// RecentFailures is the largest count among keys over the current
	// window and the one before it.
	RecentFailures(ctx context.Context, keys []string, window time.Duration) (int, error)
}
