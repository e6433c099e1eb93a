package resolvers

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/ports"
)

// adminMetrics answers the adminMetrics query.
func (r *queryResolver) adminMetrics(ctx context.Context, from, to time.Time, interval *model.MetricInterval) (*model.AdminMetrics, error) {
	return nil, ports.Errorf(ports.CodeInternal, "adminMetrics is not built yet")
}
