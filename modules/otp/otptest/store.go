// Package otptest holds the otp module's fake Store and the contract
// suite that the fake and the PostgreSQL adapter both pass, so the fake
// cannot drift from the truth.
package otptest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ otp.Store = (*Store)(nil)

type send struct {
	destination string
	challenge   uuid.UUID
	budget      otp.SendBudget
	client      string
	at          time.Time
}

// Store implements otp.Store in memory. GetForUpdate and
// LockDestination take no lock that outlives the call (the fake TxRunner
// has no transaction to hold it); the single-statement operations
// (MarkConsumed, Rearm) are atomic.
type Store struct {
	mu         sync.Mutex
	challenges map[uuid.UUID]otp.Challenge
	sends      []send
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{challenges: map[uuid.UUID]otp.Challenge{}}
}

func cloneChallenge(c otp.Challenge) otp.Challenge {
	c.CodeMAC = bytes.Clone(c.CodeMAC)
	c.Metadata = cloneMap(c.Metadata)
	c.ConsumedAt = portstest.Clone(c.ConsumedAt)
	return c
}

// Create stores c as one send (Sends is 1 whatever c says) and records the
// send at c.CreatedAt.
func (s *Store) Create(ctx context.Context, c otp.Challenge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.challenges[c.ID]; ok {
		return &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
	}
	c = cloneChallenge(c)
	c.Sends = 1
	if c.Budget != otp.BudgetOwner {
		c.Budget = otp.BudgetClient
	}
	s.challenges[c.ID] = c
	s.sends = append(s.sends, send{destination: c.Destination, challenge: c.ID, budget: c.Budget, client: c.Client, at: c.CreatedAt})
	return nil
}

func (s *Store) GetForUpdate(ctx context.Context, id uuid.UUID) (otp.Challenge, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.challenges[id]
	if !ok {
		return otp.Challenge{}, ports.ErrNotFound
	}
	return cloneChallenge(c), nil
}

// Get implements otp.Store (the fake locks nothing either way).
func (s *Store) Get(ctx context.Context, id uuid.UUID) (otp.Challenge, error) {
	return s.GetForUpdate(ctx, id)
}

func (s *Store) SetAttempts(ctx context.Context, id uuid.UUID, attempts int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.challenges[id]; ok {
		c.Attempts = attempts
		s.challenges[id] = c
	}
	return nil
}

func (s *Store) MarkConsumed(ctx context.Context, id uuid.UUID, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.challenges[id]
	if !ok || c.ConsumedAt != nil {
		return false, nil
	}
	t := at
	c.ConsumedAt = &t
	s.challenges[id] = c
	return true, nil
}

// Rearm replaces code, expiry and resend time of an unconsumed challenge,
// resets its tries, counts a send on it, and records the send at at.
func (s *Store) Rearm(ctx context.Context, c otp.Challenge, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.challenges[c.ID]
	if !ok {
		// The adapter's send row would break its foreign key.
		return fmt.Errorf("otptest: rearm of unknown challenge %s", c.ID)
	}
	if old.ConsumedAt == nil {
		old.CodeMAC = bytes.Clone(c.CodeMAC)
		old.Sends++
		old.ExpiresAt, old.ResendAfter, old.Client = c.ExpiresAt, c.ResendAfter, c.Client
		s.challenges[c.ID] = old
	}
	s.sends = append(s.sends, send{destination: c.Destination, challenge: c.ID, budget: old.Budget, client: c.Client, at: at})
	return nil
}

// LockDestination does nothing: the fake has no transaction to hold a
// lock until (see the type's comment).
func (s *Store) LockDestination(ctx context.Context, destination string) error { return nil }

func (s *Store) SendsSince(ctx context.Context, q otp.SendQuery) (int, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		n      int
		oldest time.Time
	)
	for _, x := range s.sends {
		if (q.Destination != "" && x.destination != q.Destination) || (q.Budget != "" && x.budget != q.Budget) ||
			(q.Client != "" && x.client != q.Client) || !x.at.After(q.Since) {
			continue
		}
		if n == 0 || x.at.Before(oldest) {
			oldest = x.at
		}
		n++
	}
	return n, oldest, nil
}

// All returns a copy of every challenge (for assertions), in no order.
func (s *Store) All() []otp.Challenge {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]otp.Challenge, 0, len(s.challenges))
	for _, c := range s.challenges {
		out = append(out, cloneChallenge(c))
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	maps.Copy(out, m)
	return out
}
