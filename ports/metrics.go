package ports

import (
	"context"
	"time"
)

// MetricPoint holds the product counts of one period.
type MetricPoint struct {
	Start            time.Time
	SignUps          int
	SignInsSucceeded int
	SignInsFailed    int
	OTPsSent         int
	KYCPending       int // submissions made
	KYCApproved      int
	KYCRejected      int
	ActiveUsers      int // distinct users who signed in or refreshed
}

// MetricsQuery is a range [From, To) cut into periods of Step (an hour or
// a day; From is aligned to Step by the caller).
type MetricsQuery struct {
	From, To time.Time
	Step     time.Duration
}

// MetricsStore counts product events from the tables and the activity log.
type MetricsStore interface {
	// Metrics returns the totals over the range and one point per period,
	// oldest first, empty periods included.
	Metrics(ctx context.Context, q MetricsQuery) (totals MetricPoint, series []MetricPoint, err error)
}
