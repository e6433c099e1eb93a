package portsfake

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.CredentialStore = (*CredentialStore)(nil)

// CredentialStore implements ports.CredentialStore.
type CredentialStore struct {
	mu      sync.Mutex
	pins    map[uuid.UUID]ports.PINCredential
	history map[uuid.UUID][]string // oldest first
	// deviceLocks is the lock state of trusted devices, by (user, device).
	deviceLocks map[[2]uuid.UUID]ports.PINCredential
}

// NewCredentialStore returns an empty store.
func NewCredentialStore() *CredentialStore {
	return &CredentialStore{pins: map[uuid.UUID]ports.PINCredential{}, history: map[uuid.UUID][]string{},
		deviceLocks: map[[2]uuid.UUID]ports.PINCredential{}}
}

func (s *CredentialStore) GetPIN(ctx context.Context, userID uuid.UUID) (ports.PINCredential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.pins[userID]
	if !ok {
		return ports.PINCredential{}, ports.ErrNotFound
	}
	c.LockedUntil = cloneTime(c.LockedUntil)
	return c, nil
}

// hasPIN backs UserStore's HasPIN, which the database derives from the
// same table.
func (s *CredentialStore) hasPIN(userID uuid.UUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pins[userID]
	return ok
}

func (s *CredentialStore) CreatePIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pins[userID]; ok {
		return &ports.Error{Code: ports.CodeConflict, Message: "already exists"}
	}
	s.pins[userID] = ports.PINCredential{UserID: userID, Hash: hash, UpdatedAt: at}
	s.history[userID] = append(s.history[userID], hash)
	return nil
}

func (s *CredentialStore) SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pins[userID] = ports.PINCredential{UserID: userID, Hash: hash, UpdatedAt: at}
	s.history[userID] = append(s.history[userID], hash)
	return nil
}

func (s *CredentialStore) RecentPINHashes(ctx context.Context, userID uuid.UUID, n int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.history[userID]
	var out []string
	for i := len(h) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, h[i])
	}
	return out, nil
}

// ReservePINAttempt mirrors the adapter's single conditional UPDATE:
// every expression reads the row as it was before the statement.
// Device scopes keep their own counts (the adapter keeps them on the
// device row; this fake does not check that the device exists).
func (s *CredentialStore) ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (ports.PINAttempt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pin, ok := s.pins[userID]
	if !ok {
		return ports.PINAttempt{}, ports.ErrNotFound
	}
	c := pin
	if deviceID != uuid.Nil {
		c = s.deviceLocks[[2]uuid.UUID{userID, deviceID}]
		c.Hash = pin.Hash
	}
	defer func() {
		if deviceID != uuid.Nil {
			s.deviceLocks[[2]uuid.UUID{userID, deviceID}] = c
		} else {
			s.pins[userID] = c
		}
	}()
	if c.LockedUntil != nil && c.LockedUntil.After(at) {
		return ports.PINAttempt{Locked: true, LockedUntil: cloneTime(c.LockedUntil)}, nil
	}
	a := ports.PINAttempt{Hash: c.Hash}
	if c.FailedAttempts+1 >= maxAttempts {
		// In float seconds, as the SQL does, so a large lockouts count
		// cannot overflow a Duration.
		secs := math.Min(lockFor.Seconds()*math.Pow(2, float64(min(c.Lockouts, 20))), maxLock.Seconds())
		until := at.Add(time.Duration(secs * float64(time.Second)))
		c.FailedAttempts, c.Lockouts, c.LockedUntil = 0, c.Lockouts+1, &until
		a.LockedUntil = cloneTime(&until)
	} else {
		c.FailedAttempts++
	}
	a.FailedAttempts = c.FailedAttempts
	return a, nil
}

// clearDeviceLock forgets a device's wrong-PIN count (the adapter keeps it
// on the device row, which the user store resets).
func (s *CredentialStore) clearDeviceLock(userID, deviceID uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.deviceLocks, [2]uuid.UUID{userID, deviceID})
}

func (s *CredentialStore) ResetPINFailures(ctx context.Context, userID, deviceID uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deviceID != uuid.Nil {
		delete(s.deviceLocks, [2]uuid.UUID{userID, deviceID})
		return nil
	}
	if c, ok := s.pins[userID]; ok {
		c.FailedAttempts, c.LockedUntil, c.Lockouts = 0, nil, 0
		s.pins[userID] = c
	}
	return nil
}
