// Package federationtest holds the fake of the federation module's
// stores, the contract suite it and the PostgreSQL adapter pass, and an
// in-process OpenID provider for tests (OP).
package federationtest

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/ports"
)

// Store is an in-memory federation.Identities and federation.States.
type Store struct {
	mu         sync.Mutex
	identities []federation.Identity
	states     []federation.State
}

var (
	_ federation.Identities = (*Store)(nil)
	_ federation.States     = (*Store)(nil)
)

// NewStore returns an empty store.
func NewStore() *Store { return &Store{} }

func (s *Store) Link(_ context.Context, id federation.Identity) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.identities {
		if o.Provider == id.Provider && o.Subject == id.Subject {
			return federation.LinkedElsewhere()
		}
		if o.ID == id.ID {
			return ports.ErrConflict
		}
	}
	s.identities = append(s.identities, id)
	return nil
}

func (s *Store) Find(_ context.Context, provider, subject string) (federation.Identity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.identities {
		if o.Provider == provider && o.Subject == subject {
			return o, nil
		}
	}
	return federation.Identity{}, ports.ErrNotFound
}

func (s *Store) OfUser(_ context.Context, userID uuid.UUID) ([]federation.Identity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []federation.Identity
	for _, o := range s.identities {
		if o.UserID == userID {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, federation.OldestLinkFirst)
	return out, nil
}

func (s *Store) OfUsers(ctx context.Context, userIDs []uuid.UUID) ([]federation.Identity, error) {
	var out []federation.Identity
	for _, id := range userIDs {
		mine, _ := s.OfUser(ctx, id)
		out = append(out, mine...)
	}
	return out, nil
}

func (s *Store) Touch(_ context.Context, id uuid.UUID, email string, verified bool, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, o := range s.identities {
		if o.ID == id {
			s.identities[i].Email, s.identities[i].EmailVerified, s.identities[i].LastUsedAt = email, verified, at
			return nil
		}
	}
	return ports.ErrNotFound
}

func (s *Store) Unlink(_ context.Context, userID, id uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.identities, func(o federation.Identity) bool { return o.ID == id && o.UserID == userID })
	if i < 0 {
		return ports.ErrNotFound
	}
	s.identities = slices.Delete(s.identities, i, i+1)
	return nil
}

// ForgetUser drops a user's identities, as the database does when the
// account is deleted.
func (s *Store) ForgetUser(userID uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identities = slices.DeleteFunc(s.identities, func(o federation.Identity) bool { return o.UserID == userID })
}

func (s *Store) Create(_ context.Context, st federation.State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.states {
		if bytes.Equal(o.Hash, st.Hash) {
			return ports.ErrConflict
		}
	}
	s.states = slices.DeleteFunc(s.states, func(o federation.State) bool {
		return o.ExpiresAt.Before(st.CreatedAt.Add(-federation.StateGrace))
	})
	st.Hash = bytes.Clone(st.Hash)
	s.states = append(s.states, st)
	return nil
}

func (s *Store) Take(_ context.Context, hash []byte) (federation.State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.states, func(o federation.State) bool { return bytes.Equal(o.Hash, hash) })
	if i < 0 {
		return federation.State{}, ports.ErrNotFound
	}
	st := s.states[i]
	s.states = slices.Delete(s.states, i, i+1)
	return st, nil
}
