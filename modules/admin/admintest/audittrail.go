package admintest

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var (
	_ ports.AuditTrail  = (*AuditTrail)(nil)
	_ admin.AuditSearch = (*AuditTrail)(nil)
)

// AuditTrail is portsfake's audit trail (the write side, which kyc and
// the authorization rule share) with admin's searches over it and over
// its activity log, filtering and paging like the adapter.
type AuditTrail struct {
	*portsfake.AuditTrail
}

// NewAuditTrail returns an empty trail searching log (may be nil: the
// activity search then finds nothing).
func NewAuditTrail(log *portsfake.ActivityLog) *AuditTrail {
	return &AuditTrail{AuditTrail: portsfake.NewAuditTrail(log)}
}

// The page size when a query gives none, and the most one returns, as in
// the adapter.
const (
	listDefault = 100
	listMax     = 1000
)

// ListAdmin filters and pages like the adapter: newest first.
func (a *AuditTrail) ListAdmin(ctx context.Context, q admin.AdminActivityQuery) ([]ports.AdminActivity, error) {
	var out []ports.AdminActivity
	for _, r := range a.AdminActivities() {
		switch {
		case q.AdminID != nil && r.AdminID != *q.AdminID,
			q.TargetUserID != nil && (r.TargetUserID == nil || *r.TargetUserID != *q.TargetUserID),
			q.Action != "" && r.Action != q.Action,
			q.From != nil && r.CreatedAt.Before(*q.From),
			q.To != nil && !r.CreatedAt.Before(*q.To),
			q.After != nil && newestFirst(r.CreatedAt, r.ID, q.After.CreatedAt, q.After.ID) <= 0:
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y ports.AdminActivity) int { return newestFirst(x.CreatedAt, x.ID, y.CreatedAt, y.ID) })
	return firstN(out, q.Limit), nil
}

// SearchActivities filters and pages the activity log like the adapter.
func (a *AuditTrail) SearchActivities(ctx context.Context, q admin.ActivitySearch) ([]ports.Activity, error) {
	if a.Activities == nil {
		return nil, nil
	}
	var out []ports.Activity
	for _, r := range a.Activities.Activities() {
		switch {
		case q.UserID != nil && (r.UserID == nil || *r.UserID != *q.UserID),
			len(q.Topics) > 0 && !slices.Contains(q.Topics, r.Topic),
			q.Action != "" && r.Action != q.Action,
			q.Result != "" && r.Result != q.Result,
			q.From != nil && r.CreatedAt.Before(*q.From),
			q.To != nil && !r.CreatedAt.Before(*q.To),
			q.After != nil && newestFirst(r.CreatedAt, r.ID, q.After.CreatedAt, q.After.ID) <= 0:
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y ports.Activity) int { return newestFirst(x.CreatedAt, x.ID, y.CreatedAt, y.ID) })
	return firstN(out, q.Limit), nil
}

func firstN[T any](rows []T, limit int) []T {
	if limit <= 0 {
		limit = listDefault
	}
	if limit = min(limit, listMax); len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}

// newestFirst compares the row at (at, id) with the position (pat, pid)
// in newest-first order, as (created_at, id) DESC sorts: negative when the
// row comes first.
func newestFirst(at time.Time, id uuid.UUID, pat time.Time, pid uuid.UUID) int {
	if c := pat.Compare(at); c != 0 {
		return c
	}
	return bytes.Compare(pid[:], id[:])
}
