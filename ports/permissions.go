package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Permission actions.
const (
	PermissionAllow = "ALLOW"
	PermissionDeny  = "DENY"
	PermissionAudit = "AUDIT"
)

// Permission is one authorization rule: role may (ALLOW), may not (DENY),
// or may with an admin activity for each call (AUDIT) call operation, a
// root field's name or a prefix ending in "*".
type Permission struct {
	ID        uuid.UUID
	Role      string
	Operation string
	Action    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PermissionStore keeps the rules. Every change is announced to every
// instance (see PermissionWatcher) when its transaction commits.
type PermissionStore interface {
	// List returns every rule ordered by role, then operation.
	List(ctx context.Context) ([]Permission, error)
	// Get returns one rule (ErrNotFound when none).
	Get(ctx context.Context, id uuid.UUID) (Permission, error)
	// Create inserts p; CONFLICT when the role has a rule for the
	// operation already.
	Create(ctx context.Context, p Permission) error
	// Update replaces role, operation, action and updated at of the rule
	// p.ID; ErrNotFound when none, CONFLICT as Create.
	Update(ctx context.Context, p Permission) error
	// Delete removes a rule, reporting whether there was one.
	Delete(ctx context.Context, id uuid.UUID) (bool, error)
	// Lock makes the surrounding transaction the only one changing rules
	// until it ends, so that a check over all rows (SUPERADMIN keeps its
	// own rules) cannot race another change. Take it before reading.
	Lock(ctx context.Context) error
}

// PermissionWatcher tells an instance that the rules changed.
type PermissionWatcher interface {
	// Watch calls changed once it listens, then after every committed
	// change, until ctx ends. When the connection drops it reconnects and
	// calls changed again (a change may have been missed). It returns
	// ctx's error.
	Watch(ctx context.Context, changed func()) error
}
