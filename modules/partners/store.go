package partners

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Apps keeps partner apps (adapters/postgres's PartnerAppStore,
// partnerstest's Store). Reads of a missing app return ports.ErrNotFound.
type Apps interface {
	// Create stores a unless max apps exist already (CONFLICT), or its ID
	// is taken (CONFLICT); the count and the insert cannot be raced past
	// max.
	Create(ctx context.Context, a App, max int) error
	// Get returns an app; ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (App, error)
	// List returns apps oldest first, after the cursor, at most limit.
	List(ctx context.Context, after *Cursor, limit int) ([]App, error)
	// RotateSecret makes hash the secret of an ACTIVE app whose secret is
	// still from (the hash the caller read) and keeps from as the previous
	// one until previousUntil, in one statement. CONFLICT when the app is
	// disabled, or with reason SECRET_ROTATED_MEANWHILE when its secret is
	// no longer from (a rotation made at the same time won); ErrNotFound.
	RotateSecret(ctx context.Context, id uuid.UUID, from, hash []byte, previousUntil, at time.Time) (App, error)
	// Disable disables an app (at records when) and returns it; an app
	// already disabled comes back as it is. ErrNotFound.
	Disable(ctx context.Context, id uuid.UUID, at time.Time) (App, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy).
type Rules interface {
	Allowed(role, operation string) bool
}
