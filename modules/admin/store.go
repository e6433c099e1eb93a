package admin

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// PermissionStore keeps the permission rows (adapters/postgres, or
// admintest's fake). Every change is announced to every instance (see
// PermissionWatcher) when its transaction commits.
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

// UserDirectory searches users for staff. Every filter and order is
// served by an index: no search scans the users table.
type UserDirectory interface {
	// Search returns one page in the order asked, keyset-paginated: rows
	// inserted between pages never cause a gap or a repeat.
	Search(ctx context.Context, q UserSearch) ([]UserHit, error)
	// Count counts the users matching f, stopping at limit: exact is
	// false when more match.
	Count(ctx context.Context, f UserFilter, limit int) (n int, exact bool, err error)
	// SearchCounted is Search and Count (of q.Filter, up to limit) at
	// once: the same page and the same total, in one round trip when the
	// page has users.
	SearchCounted(ctx context.Context, q UserSearch, limit int) (hits []UserHit, n int, exact bool, err error)
	// LabelUsage lists the label keys and values in use, by key then value.
	LabelUsage(ctx context.Context) ([]LabelUsage, error)
}

// MetricsStore counts product events from the tables and the activity log.
type MetricsStore interface {
	// Metrics returns the totals over the range and one point per period,
	// oldest first, empty periods included.
	Metrics(ctx context.Context, q MetricsQuery) (totals MetricPoint, series []MetricPoint, err error)
}

// Users is what staff read and change of identity's users (the
// UserStore adapter).
type Users interface {
	// GetByID returns a user; ErrNotFound.
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
	// GetByIDs returns the users with the ids that exist, in one statement.
	GetByIDs(ctx context.Context, ids []uuid.UUID) ([]identity.User, error)
	// GetByEmail finds the user with email (lower-cased), in any state.
	GetByEmail(ctx context.Context, email string) (identity.User, error)
	// DevicesByUsers returns the devices of each of the users, in one
	// statement: grouped by user, each user's last seen first, at most
	// 100 each.
	DevicesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]identity.Device, error)
	// SetState changes a user's state (ErrNotFound when no such user).
	SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error
	// SetRole changes a user's role (ErrNotFound when no such user).
	SetRole(ctx context.Context, id uuid.UUID, role string, at time.Time) error
	// Lock takes the user's row lock until the transaction in ctx ends.
	Lock(ctx context.Context, id uuid.UUID) error
}

// Sessions is what staff see and end of a user's sessions.
type Sessions interface {
	// LiveSessionsByUsers returns the sessions of each of the users that
	// are neither revoked nor past ExpiresAt at now, in one statement:
	// grouped by user, each user's most recently used first, at most 100
	// each.
	LiveSessionsByUsers(ctx context.Context, userIDs []uuid.UUID, now time.Time) ([]identity.Session, error)
	// RevokeAllForUser revokes every live session of the user except keep
	// (uuid.Nil keeps none) and returns how many it revoked.
	RevokeAllForUser(ctx context.Context, userID uuid.UUID, keep uuid.UUID, at time.Time, note string) (int, error)
}

// RecentActivities reads the latest activity of users for staff (the
// ActivityLog adapter; the log is append-only).
type RecentActivities interface {
	// RecentByUsers returns the newest limit activities of each of the
	// users, in one statement: grouped by user, each user's newest first
	// (ties by id, newest first).
	RecentByUsers(ctx context.Context, userIDs []uuid.UUID, limit int) ([]ports.Activity, error)
}

// SessionCache is this instance's memory of verified sessions (identity's
// ViewerService). A staff change forgets its target's sessions here at
// once; every instance also learns of the change from the database's
// notification when it commits.
type SessionCache interface {
	Forget(userID uuid.UUID)
}

// TOTPRemover removes a user's authenticator-app second factor and its
// recovery codes (the CredentialStore adapter); staff reach no other
// credential.
type TOTPRemover interface {
	DeleteTOTP(ctx context.Context, userID uuid.UUID) error
}

// AuditSearch reads the staff audit trail and searches the whole activity
// log for staff (the write side, ports.AuditTrail, is shared with the
// authorization rule and kyc). Both tables are append-only.
type AuditSearch interface {
	// ListAdmin returns one page of the audit trail, newest first,
	// keyset-paginated on (created at, id).
	ListAdmin(ctx context.Context, q AdminActivityQuery) ([]ports.AdminActivity, error)
	// SearchActivities returns one page of every user's activity, newest
	// first, keyset-paginated on (created at, id).
	SearchActivities(ctx context.Context, q ActivitySearch) ([]ports.Activity, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (the Policy): services ask it instead of keeping role lists.
type Rules interface {
	Allowed(role, operation string) bool
}
