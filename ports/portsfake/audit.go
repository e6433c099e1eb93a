package portsfake

import (
	"context"
	"maps"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.AuditTrail = (*AuditTrail)(nil)

// AuditTrail implements ports.AuditTrail in memory: admin activities in a
// slice, read back with AdminActivities. (admintest.AuditTrail adds admin's
// searches over it, with their contract suite.)
type AuditTrail struct {
	// Activities is the activity log of the same store (may be nil): the
	// searches of admintest.AuditTrail read it.
	Activities *ActivityLog

	mu   sync.Mutex
	rows []ports.AdminActivity
	// failWith, when set, is returned by RecordAdmin instead of recording.
	failWith error
}

// NewAuditTrail returns an empty trail beside log (may be nil).
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

func cloneID(id *uuid.UUID) *uuid.UUID {
	if id == nil {
		return nil
	}
	c := *id
	return &c
}
