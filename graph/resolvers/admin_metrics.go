package resolvers

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/admin"
)

// adminMetrics answers the adminMetrics query.
func (r *queryResolver) adminMetrics(ctx context.Context, from, to time.Time, interval *model.MetricInterval) (*model.AdminMetrics, error) {
	iv := model.MetricIntervalDay
	if interval != nil {
		iv = *interval
	}
	v, err := r.Admin.Metrics.Count(ctx, from, to, string(iv))
	if err != nil {
		return nil, err
	}
	totals := metricPoint(v.Totals)
	out := &model.AdminMetrics{From: v.From, To: v.To, Interval: model.MetricInterval(v.Interval), Totals: &totals,
		Series: make([]model.MetricPoint, len(v.Series))}
	for i, p := range v.Series {
		out.Series[i] = metricPoint(p)
	}
	return out, nil
}

func metricPoint(p admin.MetricPoint) model.MetricPoint {
	return model.MetricPoint{Start: p.Start.UTC(), SignUps: p.SignUps, SignInsSucceeded: p.SignInsSucceeded,
		SignInsFailed: p.SignInsFailed, OtpsSent: p.OTPsSent, KycPending: p.KYCPending, KycApproved: p.KYCApproved,
		KycRejected: p.KYCRejected, ActiveUsers: p.ActiveUsers}
}
