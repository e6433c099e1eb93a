// Package partnerstest holds the in-memory fake of the partners module's
// store (Store) and its contract suite (RunStore), which the fake and the
// PostgreSQL adapter both pass.
package partnerstest

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ partners.Apps = (*Store)(nil)

// Store implements partners.Apps in memory; the creator is not checked
// against users (the table's foreign key).
type Store struct {
	mu   sync.Mutex
	apps map[uuid.UUID]partners.App
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{apps: map[uuid.UUID]partners.App{}} }

func clone(a partners.App) partners.App {
	a.Scopes = slices.Clone(a.Scopes)
	a.SecretHash = bytes.Clone(a.SecretHash)
	a.PreviousSecretHash = bytes.Clone(a.PreviousSecretHash)
	a.PreviousSecretExpiresAt = portstest.Clone(a.PreviousSecretExpiresAt)
	a.SecretRotatedAt = portstest.Clone(a.SecretRotatedAt)
	a.DisabledAt = portstest.Clone(a.DisabledAt)
	return a
}

func (s *Store) Create(ctx context.Context, a partners.App, max int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apps[a.ID]; ok || len(s.apps) >= max {
		return conflict()
	}
	s.apps[a.ID] = clone(a)
	return nil
}

func (s *Store) Get(ctx context.Context, id uuid.UUID) (partners.App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[id]
	if !ok {
		return partners.App{}, ports.ErrNotFound
	}
	return clone(a), nil
}

func (s *Store) List(ctx context.Context, after *partners.Cursor, limit int) ([]partners.App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []partners.App
	for _, a := range s.apps {
		if after == nil || a.CreatedAt.After(after.CreatedAt) ||
			(a.CreatedAt.Equal(after.CreatedAt) && bytes.Compare(a.ID[:], after.ID[:]) > 0) {
			out = append(out, clone(a))
		}
	}
	slices.SortFunc(out, func(x, y partners.App) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(x.ID[:], y.ID[:])
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *Store) RotateSecret(ctx context.Context, id uuid.UUID, from, hash []byte, previousUntil, at time.Time) (partners.App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[id]
	if !ok {
		return partners.App{}, ports.ErrNotFound
	}
	if a.State != partners.Active {
		return partners.App{}, ports.Errorf(ports.CodeConflict, "the partner app is disabled")
	}
	if !bytes.Equal(a.SecretHash, from) {
		return partners.App{}, errRotatedMeanwhile
	}
	a.PreviousSecretHash, a.PreviousSecretExpiresAt = a.SecretHash, &previousUntil
	a.SecretHash, a.SecretRotatedAt = bytes.Clone(hash), &at
	s.apps[id] = clone(a)
	return clone(a), nil
}

func (s *Store) Disable(ctx context.Context, id uuid.UUID, at time.Time) (partners.App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[id]
	if !ok {
		return partners.App{}, ports.ErrNotFound
	}
	if a.State == partners.Active {
		a.State, a.DisabledAt = partners.Disabled, &at
		s.apps[id] = clone(a)
	}
	return clone(a), nil
}

func conflict() error { return ports.Errorf(ports.CodeConflict, "conflicts with existing data") }

var errRotatedMeanwhile = ports.Refusal(ports.CodeConflict, partners.ReasonSecretRotated,
	"the secret was rotated by someone else meanwhile; the partner app's secret is theirs")
