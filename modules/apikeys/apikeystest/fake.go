// Package apikeystest holds the fakes of the apikeys module's stores and
// the contract suite they and the PostgreSQL adapter pass.
package apikeystest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/ports"
)

// Store is an in-memory apikeys.Keys and apikeys.Nonces.
type Store struct {
	mu     sync.Mutex
	keys   map[uuid.UUID]apikeys.Key
	nonces map[nonceKey]time.Time
}

type nonceKey struct {
	key   uuid.UUID
	nonce int64
}

var (
	_ apikeys.Keys   = (*Store)(nil)
	_ apikeys.Nonces = (*Store)(nil)
)

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{keys: map[uuid.UUID]apikeys.Key{}, nonces: map[nonceKey]time.Time{}}
}

func clone(k apikeys.Key) apikeys.Key {
	k.Scopes = slices.Clone(k.Scopes)
	k.SealedSecret = slices.Clone(k.SealedSecret)
	return k
}

func (s *Store) Create(_ context.Context, k apikeys.Key, max int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, o := range s.keys {
		if o.UserID == k.UserID {
			n++
		}
	}
	if n >= max {
		return apikeys.KeyLimitReached(max)
	}
	if _, ok := s.keys[k.ID]; ok {
		return ports.Errorf(ports.CodeConflict, "the key exists")
	}
	s.keys[k.ID] = clone(k)
	return nil
}

func (s *Store) Get(_ context.Context, id uuid.UUID) (apikeys.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return apikeys.Key{}, ports.ErrNotFound
	}
	return clone(k), nil
}

func (s *Store) OfUser(_ context.Context, userID uuid.UUID) ([]apikeys.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apikeys.Key
	for _, k := range s.keys {
		if k.UserID == userID {
			out = append(out, clone(k))
		}
	}
	slices.SortFunc(out, func(a, b apikeys.Key) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return slices.Compare(a.ID[:], b.ID[:])
	})
	return out, nil
}

func (s *Store) Update(_ context.Context, k apikeys.Key) (apikeys.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.keys[k.ID]
	if !ok || old.UserID != k.UserID {
		return apikeys.Key{}, ports.ErrNotFound
	}
	if k.State != "" {
		old.State = k.State
	}
	if k.Scopes != nil {
		old.Scopes = slices.Clone(k.Scopes)
	}
	old.UpdatedAt = k.UpdatedAt
	s.keys[k.ID] = old
	out := old
	out.Scopes = slices.Clone(old.Scopes)
	return out, nil
}

func (s *Store) Delete(_ context.Context, userID, id uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok || k.UserID != userID {
		return ports.ErrNotFound
	}
	delete(s.keys, id)
	for n := range s.nonces {
		if n.key == id {
			delete(s.nonces, n)
		}
	}
	return nil
}

func (s *Store) Spend(_ context.Context, keyID uuid.UUID, nonce int64, expires, now time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for n, exp := range s.nonces {
		if n.key == keyID && exp.Before(now) {
			delete(s.nonces, n)
		}
	}
	if _, ok := s.keys[keyID]; !ok {
		return false, ports.ErrNotFound
	}
	k := nonceKey{keyID, nonce}
	if _, seen := s.nonces[k]; seen {
		return false, nil
	}
	s.nonces[k] = expires
	return true, nil
}

// NonceCount is how many nonces of keyID the store remembers.
func (s *Store) NonceCount(keyID uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k := range s.nonces {
		if k.key == keyID {
			n++
		}
	}
	return n
}

// SecondFactor is a fake apikeys.SecondFactor: users with the app on and
// the one code it accepts.
type SecondFactor struct {
	mu       sync.Mutex
	codes    map[uuid.UUID]string
	accepted map[uuid.UUID]int
	// steppedUp are the users with a step-up to spend.
	steppedUp map[uuid.UUID]bool
}

// NewSecondFactor returns a second factor no user has turned on.
func NewSecondFactor() *SecondFactor {
	return &SecondFactor{codes: map[uuid.UUID]string{}, accepted: map[uuid.UUID]int{}, steppedUp: map[uuid.UUID]bool{}}
}

// Accepted is how many of the user's codes were accepted (each one spent,
// as the real check spends them).
func (f *SecondFactor) Accepted(userID uuid.UUID) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accepted[userID]
}

// TurnOn makes code the user's right code.
func (f *SecondFactor) TurnOn(userID uuid.UUID, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.codes[userID] = code
}

func (f *SecondFactor) CheckTOTP(_ context.Context, userID uuid.UUID, code string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	want, ok := f.codes[userID]
	if code == "" && ok && f.steppedUp[userID] {
		delete(f.steppedUp, userID)
		f.accepted[userID]++
		return nil
	}
	if code == "" {
		return ports.InvalidField("totpCode", "is required: the 6 digits the app shows, or verifyTotp first")
	}
	if !ok {
		return ports.Refusal(ports.CodeForbidden, apikeys.ReasonTOTPRequired, "turn the authenticator app on first")
	}
	if code != want {
		return ports.Errorf(ports.CodeInvalidCode, "the code is not correct")
	}
	f.accepted[userID]++
	return nil
}

// StepUp gives the user one step-up to spend (what verifyTotp does).
func (f *SecondFactor) StepUp(userID uuid.UUID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.steppedUp[userID] = true
}
