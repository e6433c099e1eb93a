package identitytest

import (
	"context"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var (
	_ identity.PINs             = (*CredentialStore)(nil)
	_ identity.Passwords        = (*CredentialStore)(nil)
	_ identity.TOTPs            = (*CredentialStore)(nil)
	_ identity.CredentialEraser = (*CredentialStore)(nil)
	_ CredentialReads           = (*CredentialStore)(nil)
)

// CredentialStore implements identity's PINs, Passwords, TOTPs and
// CredentialEraser, and the CredentialReads of tests, like
// adapters/postgres's CredentialStore.
type CredentialStore struct {
	mu      sync.Mutex
	pins    map[uuid.UUID]identity.PINCredential
	history map[uuid.UUID][]string // oldest first
	// deviceLocks is the lock state of trusted devices, by (user, device).
	deviceLocks map[[2]uuid.UUID]identity.PINCredential
	// devicePasswordLocks is the same for passwords.
	devicePasswordLocks map[[2]uuid.UUID]identity.PINCredential
	// passwords keeps each password hash with its lock state.
	passwords map[uuid.UUID]identity.PINCredential
	totp      map[uuid.UUID]identity.TOTPCredential
	recovery  map[uuid.UUID]map[string]*time.Time // digest → used at
}

// NewCredentialStore returns an empty store.
func NewCredentialStore() *CredentialStore {
	return &CredentialStore{pins: map[uuid.UUID]identity.PINCredential{}, history: map[uuid.UUID][]string{},
		deviceLocks: map[[2]uuid.UUID]identity.PINCredential{}, devicePasswordLocks: map[[2]uuid.UUID]identity.PINCredential{},
		passwords: map[uuid.UUID]identity.PINCredential{},
		totp:      map[uuid.UUID]identity.TOTPCredential{}, recovery: map[uuid.UUID]map[string]*time.Time{}}
}

func (s *CredentialStore) GetPIN(ctx context.Context, userID uuid.UUID) (identity.PINCredential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.pins[userID]
	if !ok {
		return identity.PINCredential{}, ports.ErrNotFound
	}
	c.LockedUntil = portstest.Clone(c.LockedUntil)
	return c, nil
}

// flags backs UserStore's HasPIN, HasPassword and TOTPEnabled, which the
// database derives from the same tables.
func (s *CredentialStore) flags(userID uuid.UUID) (pin, password, totp bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, pin = s.pins[userID]
	_, password = s.passwords[userID]
	t, ok := s.totp[userID]
	return pin, password, ok && t.ConfirmedAt != nil
}

func (s *CredentialStore) CreatePIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pins[userID]; ok {
		return &ports.Error{Code: ports.CodeConflict, Message: "already exists"}
	}
	s.pins[userID] = identity.PINCredential{UserID: userID, Hash: hash, UpdatedAt: at}
	s.history[userID] = append(s.history[userID], hash)
	return nil
}

func (s *CredentialStore) SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pins[userID] = identity.PINCredential{UserID: userID, Hash: hash, UpdatedAt: at}
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
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pin, ok := s.pins[userID]
	if !ok {
		return identity.PINAttempt{}, ports.ErrNotFound
	}
	c := pin
	if deviceID != uuid.Nil {
		c = s.deviceLocks[[2]uuid.UUID{userID, deviceID}]
		c.Hash = pin.Hash
	}
	a := reserve(&c, at, maxAttempts, lockFor, maxLock)
	if deviceID != uuid.Nil {
		s.deviceLocks[[2]uuid.UUID{userID, deviceID}] = c
	} else {
		s.pins[userID] = c
	}
	return a, nil
}

// reserve counts one try against c, or reports the lock that refuses it
// (pending while the count that started it stands).
func reserve(c *identity.PINCredential, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) identity.PINAttempt {
	if c.LockedUntil != nil && c.LockedUntil.After(at) {
		return identity.PINAttempt{Locked: true, Pending: c.FailedAttempts > 0, LockedUntil: portstest.Clone(c.LockedUntil)}
	}
	a := identity.PINAttempt{Hash: c.Hash}
	if c.FailedAttempts >= maxAttempts {
		c.FailedAttempts = 0 // a pending lock whose tries never came back
	}
	c.FailedAttempts++
	if c.FailedAttempts >= maxAttempts {
		// In float seconds, as the SQL does, so a large lockouts count
		// cannot overflow a Duration.
		secs := math.Min(lockFor.Seconds()*math.Pow(2, float64(min(c.Lockouts, 20))), maxLock.Seconds())
		until := at.Add(time.Duration(secs * float64(time.Second)))
		c.Lockouts, c.LockedUntil = c.Lockouts+1, &until
		a.LockedUntil = portstest.Clone(&until)
	}
	a.FailedAttempts = c.FailedAttempts
	return a
}

// confirm turns c's pending lock into a lockout.
func confirm(c *identity.PINCredential, at time.Time) {
	if c.FailedAttempts > 0 && c.LockedUntil != nil && c.LockedUntil.After(at) {
		c.FailedAttempts = 0
	}
}

func (s *CredentialStore) ConfirmPINLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deviceID != uuid.Nil {
		if c, ok := s.deviceLocks[[2]uuid.UUID{userID, deviceID}]; ok {
			confirm(&c, at)
			s.deviceLocks[[2]uuid.UUID{userID, deviceID}] = c
		}
	} else if c, ok := s.pins[userID]; ok {
		confirm(&c, at)
		s.pins[userID] = c
	}
	return nil
}

func (s *CredentialStore) ConfirmPasswordLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deviceID != uuid.Nil {
		if c, ok := s.devicePasswordLocks[[2]uuid.UUID{userID, deviceID}]; ok {
			confirm(&c, at)
			s.devicePasswordLocks[[2]uuid.UUID{userID, deviceID}] = c
		}
	} else if c, ok := s.passwords[userID]; ok {
		confirm(&c, at)
		s.passwords[userID] = c
	}
	return nil
}

// clearDeviceLock forgets a device's wrong-PIN count (the adapter keeps it
// on the device row, which the user store resets).
func (s *CredentialStore) clearDeviceLock(userID, deviceID uuid.UUID) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.deviceLocks, [2]uuid.UUID{userID, deviceID})
	delete(s.devicePasswordLocks, [2]uuid.UUID{userID, deviceID})
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

func (s *CredentialStore) SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passwords[userID] = identity.PINCredential{UserID: userID, Hash: hash, UpdatedAt: at}
	return nil
}

// ReservePasswordAttempt counts like ReservePINAttempt, with the same
// scopes.
func (s *CredentialStore) ReservePasswordAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pw, ok := s.passwords[userID]
	if !ok {
		return identity.PINAttempt{}, ports.ErrNotFound
	}
	c := pw
	if deviceID != uuid.Nil {
		c = s.devicePasswordLocks[[2]uuid.UUID{userID, deviceID}]
		c.Hash = pw.Hash
	}
	a := reserve(&c, at, maxAttempts, lockFor, maxLock)
	if deviceID != uuid.Nil {
		s.devicePasswordLocks[[2]uuid.UUID{userID, deviceID}] = c
	} else {
		s.passwords[userID] = c
	}
	return a, nil
}

func (s *CredentialStore) ResetPasswordFailures(ctx context.Context, userID, deviceID uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deviceID != uuid.Nil {
		delete(s.devicePasswordLocks, [2]uuid.UUID{userID, deviceID})
		return nil
	}
	if c, ok := s.passwords[userID]; ok {
		c.FailedAttempts, c.LockedUntil, c.Lockouts = 0, nil, 0
		s.passwords[userID] = c
	}
	return nil
}

// Password returns the user's password credential with its lock state
// (for assertions; the port reads it only through attempts).
func (s *CredentialStore) Password(userID uuid.UUID) (identity.PINCredential, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.passwords[userID]
	c.LockedUntil = portstest.Clone(c.LockedUntil)
	return c, ok
}

func (s *CredentialStore) GetTOTP(ctx context.Context, userID uuid.UUID) (identity.TOTPCredential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.totp[userID]
	if !ok {
		return identity.TOTPCredential{}, ports.ErrNotFound
	}
	return cloneTOTP(c), nil
}

func cloneTOTP(c identity.TOTPCredential) identity.TOTPCredential {
	c.SealedSecret = slices.Clone(c.SealedSecret)
	c.ConfirmedAt = portstest.Clone(c.ConfirmedAt)
	return c
}

// PutPendingTOTP stores a new unconfirmed secret (last step 0), replacing
// an unconfirmed one; ErrConflict when one is confirmed.
func (s *CredentialStore) PutPendingTOTP(ctx context.Context, userID uuid.UUID, sealedSecret []byte, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.totp[userID]; ok && c.ConfirmedAt != nil {
		return ports.ErrConflict
	}
	s.totp[userID] = identity.TOTPCredential{UserID: userID, SealedSecret: slices.Clone(sealedSecret), CreatedAt: at}
	return nil
}

func (s *CredentialStore) ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, recoveryDigests [][]byte, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.totp[userID]
	if !ok || c.ConfirmedAt != nil {
		return ports.ErrNotFound
	}
	confirmed := at
	c.ConfirmedAt, c.LastStep = &confirmed, step
	s.totp[userID] = c
	codes := make(map[string]*time.Time, len(recoveryDigests))
	for _, d := range recoveryDigests {
		codes[string(d)] = nil
	}
	s.recovery[userID] = codes
	return nil
}

// UseTOTPStep accepts step only when TOTP is enabled and step is later
// than the last one accepted.
func (s *CredentialStore) UseTOTPStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.totp[userID]
	if !ok || c.ConfirmedAt == nil || c.LastStep >= step {
		return false, nil
	}
	c.LastStep = step
	s.totp[userID] = c
	return true, nil
}

func (s *CredentialStore) DeleteTOTP(ctx context.Context, userID uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.totp, userID)
	delete(s.recovery, userID)
	return nil
}

func (s *CredentialStore) UseRecoveryCode(ctx context.Context, userID uuid.UUID, digest []byte, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	codes := s.recovery[userID]
	used, ok := codes[string(digest)]
	if !ok || used != nil {
		return false, nil
	}
	t := at
	codes[string(digest)] = &t
	return true, nil
}

func (s *CredentialStore) RecoveryCodesLeft(ctx context.Context, userID uuid.UUID) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for used := range maps.Values(s.recovery[userID]) {
		if used == nil {
			n++
		}
	}
	return n, nil
}

// DeleteAll erases the PIN and its history, the password, TOTP and the
// recovery codes. Trusted devices keep their wrong-PIN counts, as in the
// database where those live on the device rows.
func (s *CredentialStore) DeleteAll(ctx context.Context, userID uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAll(userID)
	return nil
}

// deleteAll is DeleteAll with s.mu held.
func (s *CredentialStore) deleteAll(userID uuid.UUID) {
	delete(s.pins, userID)
	delete(s.history, userID)
	delete(s.passwords, userID)
	delete(s.totp, userID)
	delete(s.recovery, userID)
}

// dropUser forgets everything kept for a deleted user and their devices.
func (s *CredentialStore) dropUser(userID uuid.UUID, devices []uuid.UUID) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAll(userID)
	for _, d := range devices {
		delete(s.deviceLocks, [2]uuid.UUID{userID, d})
	}
}
