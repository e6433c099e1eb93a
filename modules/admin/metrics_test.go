package admin_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// fixedCaller is the caller of every request (nil: anonymous).
type fixedCaller struct{ c *ports.Caller }

func (f fixedCaller) Caller(context.Context) (*ports.Caller, error) { return f.c, nil }

// recordingMetrics answers one point per period and keeps the queries.
type recordingMetrics struct{ queries []admin.MetricsQuery }

func (r *recordingMetrics) Metrics(_ context.Context, q admin.MetricsQuery) (admin.MetricPoint, []admin.MetricPoint, error) {
	r.queries = append(r.queries, q)
	var series []admin.MetricPoint
	for t := q.From; t.Before(q.To); t = t.Add(q.Step) {
		series = append(series, admin.MetricPoint{Start: t, SignUps: 1})
	}
	return admin.MetricPoint{Start: q.From, SignUps: len(series)}, series, nil
}

func metricsService(role string) (*admin.Metrics, *recordingMetrics) {
	store := &recordingMetrics{}
	var c *ports.Caller
	if role != "" {
		c = &ports.Caller{UserID: uuid.New(), Role: role}
	}
	return admin.NewMetrics(store, fixedCaller{c}, portsfake.DefaultRules()), store
}

func TestMetricsAlignsTheRangeAndAsksTheStore(t *testing.T) {
	for _, role := range []string{ports.RoleCompliance, ports.RoleAdmin, ports.RoleSuperadmin} {
		s, store := metricsService(role)
		from := time.Date(2026, 11, 20, 15, 42, 0, 0, time.FixedZone("X", 3*3600)) // 12:42 UTC
		to := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		v, err := s.Count(context.Background(), from, to, admin.IntervalDay)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		wantFrom := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		if !v.From.Equal(wantFrom) || v.From.Location() != time.UTC || !v.To.Equal(to) || v.Interval != "DAY" {
			t.Fatalf("%s: range %v..%v %s", role, v.From, v.To, v.Interval)
		}
		if len(store.queries) != 1 || store.queries[0] != (admin.MetricsQuery{From: wantFrom, To: to, Step: 24 * time.Hour}) {
			t.Fatalf("%s: store asked %+v", role, store.queries)
		}
		if len(v.Series) != 3 || v.Totals.SignUps != 3 {
			t.Fatalf("%s: view %+v", role, v)
		}
	}

	s, store := metricsService(ports.RoleAdmin)
	v, err := s.Count(context.Background(), time.Date(2026, 11, 20, 10, 59, 59, 0, time.UTC),
		time.Date(2026, 11, 20, 12, 30, 0, 0, time.UTC), admin.IntervalHour)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC); !v.From.Equal(want) || store.queries[0].Step != time.Hour || len(v.Series) != 3 {
		t.Fatalf("hourly: %+v, asked %+v", v, store.queries)
	}
}

func TestMetricsIsForComplianceAndAdmins(t *testing.T) {
	for role, code := range map[string]ports.ErrorCode{"": ports.CodeUnauthenticated, ports.RoleMember: ports.CodeForbidden,
		ports.RoleSupport: ports.CodeForbidden, ports.RoleAccountant: ports.CodeForbidden, ports.RolePartner: ports.CodeForbidden} {
		s, store := metricsService(role)
		_, err := s.Count(context.Background(), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), admin.IntervalDay)
		errtest.Code(t, err, code, "role %q", role)
		if len(store.queries) != 0 {
			t.Errorf("role %q: the store was asked %d times", role, len(store.queries))
		}
	}
}

func TestMetricsRefusesBadRanges(t *testing.T) {
	d := func(m, day, h int) time.Time { return time.Date(2026, time.Month(m), day, h, 0, 0, 0, time.UTC) }
	cases := []struct {
		name     string
		from, to time.Time
		interval string
		field    string
	}{
		{"to before from", d(11, 20, 0), d(11, 19, 0), "DAY", "to"},
		{"to equal to from", d(11, 20, 0), d(11, 20, 0), "DAY", "to"},
		{"more than 366 days", d(1, 1, 0), d(1, 1, 0).AddDate(1, 0, 2), "DAY", "to"},
		{"more than 31 days by hour", d(10, 1, 0), d(11, 1, 1), "HOUR", "to"},
		{"unknown interval", d(11, 20, 0), d(11, 21, 0), "WEEK", "interval"},
	}
	for _, c := range cases {
		s, store := metricsService(ports.RoleAdmin)
		_, err := s.Count(context.Background(), c.from, c.to, c.interval)
		if errtest.Fields(t, err, c.name)[c.field] == "" {
			t.Errorf("%s: want VALIDATION_FAILED on %s, got %v", c.name, c.field, err)
		}
		if len(store.queries) != 0 {
			t.Errorf("%s: the store was asked", c.name)
		}
	}
	// The limits themselves are allowed: 366 days by DAY, 31 by HOUR.
	s, _ := metricsService(ports.RoleAdmin)
	if _, err := s.Count(context.Background(), d(1, 1, 0), d(1, 1, 0).AddDate(0, 0, 366), "DAY"); err != nil {
		t.Errorf("366 days: %v", err)
	}
	if _, err := s.Count(context.Background(), d(10, 1, 0), d(11, 1, 0), "HOUR"); err != nil {
		t.Errorf("31 days by hour: %v", err)
	}
}
