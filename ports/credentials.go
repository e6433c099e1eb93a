package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// PINCredential is a user's PIN hash and its lockout state.
type PINCredential struct {
	UserID         uuid.UUID
	Hash           string
	FailedAttempts int
	LockedUntil    *time.Time
	Lockouts       int
	UpdatedAt      time.Time
}

// FailureOutcome is the lockout state after a wrong secret was counted.
type FailureOutcome struct {
	FailedAttempts int
	LockedUntil    *time.Time
}

// CredentialStore is the privileged store of secret hashes; only the
// credential rules of the identity module use it.
type CredentialStore interface {
	// GetPIN returns ErrNotFound when the user has no PIN.
	GetPIN(ctx context.Context, userID uuid.UUID) (PINCredential, error)
	// SetPIN stores a new hash, resets the lockout, and appends the hash to
	// the history.
	SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// RecentPINHashes returns the user's last n PIN hashes, newest first.
	RecentPINHashes(ctx context.Context, userID uuid.UUID, n int) ([]string, error)
	// CountPINFailure adds one wrong try in one statement; at maxAttempts it
	// locks until at+lockFor*2^lockouts (capped at maxLock) and resets the
	// counter.
	CountPINFailure(ctx context.Context, userID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (FailureOutcome, error)
	// ResetPINFailures clears the counter and the lockout after a success.
	ResetPINFailures(ctx context.Context, userID uuid.UUID) error
}
