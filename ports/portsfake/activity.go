package portsfake

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.ActivityLog = (*ActivityLog)(nil)

// ActivityLog implements ports.ActivityLog as an append-only slice.
type ActivityLog struct {
	mu   sync.Mutex
	rows []ports.Activity
}

// NewActivityLog returns an empty log.
func NewActivityLog() *ActivityLog { return &ActivityLog{} }

// Record appends a copy of a, giving it an id when it has none.
func (l *ActivityLog) Record(ctx context.Context, a ports.Activity) error {
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
	}
	a.Details = cloneMap(a.Details)
	if a.UserID != nil {
		id := *a.UserID
		a.UserID = &id
	}
	l.mu.Lock()
	l.rows = append(l.rows, a)
	l.mu.Unlock()
	return nil
}

// Activities returns a copy of every row, oldest first.
func (l *ActivityLog) Activities() []ports.Activity {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]ports.Activity, len(l.rows))
	for i, a := range l.rows {
		a.Details = cloneMap(a.Details)
		out[i] = a
	}
	return out
}

// WithAction returns the rows whose Action is action, oldest first.
func (l *ActivityLog) WithAction(action string) []ports.Activity {
	var out []ports.Activity
	for _, a := range l.Activities() {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}
