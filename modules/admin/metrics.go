package admin

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/ports"
)

// Metric intervals and the longest range each may cover.
const (
	IntervalDay  = "DAY"
	IntervalHour = "HOUR"

	maxDayRange  = 366 * 24 * time.Hour
	maxHourRange = 31 * 24 * time.Hour
)

// Metrics are the product metrics staff read.
type Metrics struct {
	gate
	store MetricsStore
}

// NewMetrics returns the product metrics over store; callers and rules
// decide who may read them (see gate).
func NewMetrics(store MetricsStore, callers ports.CallerSource, rules Rules) *Metrics {
	return &Metrics{gate: gate{callers: callers, rules: rules}, store: store}
}

// MetricsView is the product metrics of a range: totals over it and one
// point per interval, oldest first, empty ones included.
type MetricsView struct {
	From, To time.Time // From aligned down to the interval, UTC
	Interval string    // DAY or HOUR
	Totals   MetricPoint
	Series   []MetricPoint
}

// Count counts sign-ups, sign-ins, codes sent, KYC submissions and
// decisions and active users between from (aligned down to the UTC day or
// hour) and to (exclusive). For the roles the adminMetrics rows allow.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (interval, or a
// range that is empty or longer than 366 days by DAY, 31 days by HOUR).
func (s *Metrics) Count(ctx context.Context, from, to time.Time, interval string) (MetricsView, error) {
	if _, err := s.caller(ctx, "adminMetrics"); err != nil {
		return MetricsView{}, err
	}
	var step, longest time.Duration
	switch interval {
	case IntervalDay:
		step, longest = 24*time.Hour, maxDayRange
	case IntervalHour:
		step, longest = time.Hour, maxHourRange
	default:
		return MetricsView{}, ports.InvalidField("interval", "must be DAY or HOUR")
	}
	// Truncate counts from the zero time, a UTC midnight: days are UTC days.
	from, to = from.UTC().Truncate(step), to.UTC()
	if !to.After(from) {
		return MetricsView{}, ports.InvalidField("to", "must be after from")
	}
	if to.Sub(from) > longest {
		if interval == IntervalDay {
			return MetricsView{}, ports.InvalidField("to", "must be at most 366 days after from by DAY")
		}
		return MetricsView{}, ports.InvalidField("to", "must be at most 31 days after from by HOUR; ask by DAY for longer ranges")
	}
	totals, series, err := s.store.Metrics(ctx, MetricsQuery{From: from, To: to, Step: step})
	if err != nil {
		return MetricsView{}, err
	}
	return MetricsView{From: from, To: to, Interval: interval, Totals: totals, Series: series}, nil
}
