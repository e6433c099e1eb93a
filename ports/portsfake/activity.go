package portsfake

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

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

// Record appends a copy of a, giving it an id when it has none: a UUIDv7,
// so ids of one instant follow the order of writing, as in the adapter.
func (l *ActivityLog) Record(ctx context.Context, a ports.Activity) error {
	if a.ID == uuid.Nil {
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		a.ID = id
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

// listDefaultLimit is the page size when the query gives none, as in the
// adapter.
const listDefaultLimit = 100

// List returns the user's rows newest first (ties: greater id first),
// only those strictly after q.After in that order, at most q.Limit
// (100 when not positive).
func (l *ActivityLog) List(ctx context.Context, q ports.ActivityQuery) ([]ports.Activity, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = listDefaultLimit
	}
	var out []ports.Activity
	for _, a := range l.Activities() {
		if a.UserID == nil || *a.UserID != q.UserID {
			continue
		}
		if len(q.Topics) > 0 && !slices.Contains(q.Topics, a.Topic) {
			continue
		}
		if q.After != nil && newestFirst(a, q.After.CreatedAt, q.After.ID) <= 0 {
			continue
		}
		uid := *a.UserID
		a.UserID = &uid
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b ports.Activity) int { return newestFirst(a, b.CreatedAt, b.ID) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// newestFirst compares a with the position (at, id) in newest-first
// order: negative when a comes first, as (created_at, id) DESC sorts.
func newestFirst(a ports.Activity, at time.Time, id uuid.UUID) int {
	if c := at.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return bytes.Compare(id[:], a.ID[:])
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
