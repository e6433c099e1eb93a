package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// MetricsStore implements ports.MetricsStore.
type MetricsStore struct{ db *bun.DB }

var _ ports.MetricsStore = (*MetricsStore)(nil)

// NewMetricsStore returns the product metrics over db.
func NewMetricsStore(db *bun.DB) *MetricsStore { return &MetricsStore{db: db} }

func (m *MetricsStore) Metrics(ctx context.Context, q ports.MetricsQuery) (ports.MetricPoint, []ports.MetricPoint, error) {
	return ports.MetricPoint{}, nil, errNotBuilt
}
