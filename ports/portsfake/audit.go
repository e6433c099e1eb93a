package portsfake

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.AuditTrail = (*AuditTrail)(nil)

// AuditTrail implements ports.AuditTrail in memory: admin activities in a
// slice, and SearchActivities over Activities (when set).
type AuditTrail struct {
	// Activities is the log SearchActivities reads; nil reads nothing.
	Activities *ActivityLog

	mu   sync.Mutex
	rows []ports.AdminActivity
	// failWith, when set, is returned by RecordAdmin instead of recording.
	failWith error
}

// NewAuditTrail returns an empty trail searching log (may be nil).
func NewAuditTrail(log *ActivityLog) *AuditTrail { return &AuditTrail{Activities: log} }

// FailRecordsWith makes RecordAdmin fail with err (nil to succeed again).
func (a *AuditTrail) FailRecordsWith(err error) {
	a.mu.Lock()
	a.failWith = err
	a.mu.Unlock()
}

// RecordAdmin appends a copy of r (input redacted, as the adapter does).
func (a *AuditTrail) RecordAdmin(ctx context.Context, r ports.AdminActivity) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failWith != nil {
		return a.failWith
	}
	if r.ID == uuid.Nil {
		r.ID = uuid.Must(uuid.NewV7())
	}
	if r.Result == "" {
		r.Result = ports.ActivitySucceeded
	}
	r.Input = ports.RedactInput(r.Input)
	r.TargetUserID = cloneID(r.TargetUserID)
	a.rows = append(a.rows, r)
	return nil
}

// ListAdmin filters and pages like the adapter: newest first.
func (a *AuditTrail) ListAdmin(ctx context.Context, q ports.AdminActivityQuery) ([]ports.AdminActivity, error) {
	var out []ports.AdminActivity
	for _, r := range a.AdminActivities() {
		switch {
		case q.AdminID != nil && r.AdminID != *q.AdminID,
			q.TargetUserID != nil && (r.TargetUserID == nil || *r.TargetUserID != *q.TargetUserID),
			q.Action != "" && r.Action != q.Action,
			q.From != nil && r.CreatedAt.Before(*q.From),
			q.To != nil && !r.CreatedAt.Before(*q.To),
			q.After != nil && adminNewestFirst(r, q.After.CreatedAt, q.After.ID) <= 0:
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y ports.AdminActivity) int { return adminNewestFirst(x, y.CreatedAt, y.ID) })
	if limit := pageSize(q.Limit); len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// SearchActivities filters and pages Activities like the adapter.
func (a *AuditTrail) SearchActivities(ctx context.Context, q ports.ActivitySearch) ([]ports.Activity, error) {
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
			q.After != nil && newestFirst(r, q.After.CreatedAt, q.After.ID) <= 0:
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y ports.Activity) int { return newestFirst(x, y.CreatedAt, y.ID) })
	if limit := pageSize(q.Limit); len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// AdminActivities returns a copy of every admin activity, oldest first.
func (a *AuditTrail) AdminActivities() []ports.AdminActivity {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]ports.AdminActivity, len(a.rows))
	for i, r := range a.rows {
		r.Input = maps.Clone(r.Input)
		r.TargetUserID = cloneID(r.TargetUserID)
		out[i] = r
	}
	return out
}

func pageSize(n int) int {
	if n <= 0 {
		return listDefaultLimit
	}
	return min(n, 1000)
}

// adminNewestFirst compares a with the position (at, id) in newest-first
// order, as (created_at, id) DESC sorts.
func adminNewestFirst(a ports.AdminActivity, at time.Time, id uuid.UUID) int {
	if c := at.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return bytes.Compare(id[:], a.ID[:])
}

func cloneID(id *uuid.UUID) *uuid.UUID {
	if id == nil {
		return nil
	}
	c := *id
	return &c
}
