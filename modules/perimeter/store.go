package perimeter

import (
	"context"
	"net/netip"
	"time"

	"github.com/google/uuid"
)

// Store keeps the restrictions (adapters/postgres, or perimetertest's
// fake). Every committed change is announced to the Watcher of every
// instance. A missing row is NOT_FOUND; a second rule of the same scope,
// value and category is a CONFLICT.
type Store interface {
	// All returns every restriction, enabled or not (the snapshot's load).
	All(ctx context.Context) ([]Restriction, error)
	// Page returns up to limit restrictions matching f, oldest first
	// (created_at, id), after the key (zero time: from the start).
	Page(ctx context.Context, f Filter, afterAt time.Time, afterID uuid.UUID, limit int) ([]Restriction, error)
	// Get returns one restriction; NOT_FOUND.
	Get(ctx context.Context, id uuid.UUID) (Restriction, error)
	// Lock serialises the writers of restrictions until the transaction
	// in ctx ends, so that the count checked before an insert holds.
	Lock(ctx context.Context) error
	// Count returns how many restrictions exist.
	Count(ctx context.Context) (int, error)
	// Create inserts r; CONFLICT.
	Create(ctx context.Context, r Restriction) error
	// Update writes r's scope, value, category, state, code and
	// UpdatedAt; NOT_FOUND, CONFLICT.
	Update(ctx context.Context, r Restriction) error
	// Delete removes a restriction and tells whether it existed.
	Delete(ctx context.Context, id uuid.UUID) (bool, error)
}

// Filter narrows a page of restrictions (nil: any).
type Filter struct {
	Scope    *Scope
	Category *Category
	State    *State
}

// ChangeID is what a change of the restrictions announces on the shared
// change channel in place of a user's id (the migration's trigger sends
// it): the caches keyed by users forget no one real, and the gate
// reloads. No user has this id: users' ids are random (version 4 or 7).
var ChangeID = uuid.MustParse("00000000-0000-0000-0000-0000000000fe")

// Watcher tells an instance of changes: the shared listening connection
// (postgres.WatchHub), as identity's session cache and accounts' viewer
// cache hear it. up says whether it listens; changed names a changed
// user, ChangeID for the restrictions, uuid.Nil for everything.
type Watcher interface {
	Watch(ctx context.Context, up func(bool), changed func(userID uuid.UUID)) error
}

// Locator tells where an address is (adapters/geoip over a MaxMind-format
// database).
type Locator interface {
	Locate(ip netip.Addr) (Place, bool)
}
