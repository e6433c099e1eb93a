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

// PINAttempt is one try at a user's PIN (or password), counted before the
// secret is checked.
type PINAttempt struct {
	// Hash is what the PIN must match (empty when Locked).
	Hash string
	// Locked means sign-in is locked until LockedUntil; no try was counted.
	Locked bool
	// FailedAttempts counts the tries since the last success or lockout,
	// this one included (0 when this try started a lockout).
	FailedAttempts int
	// LockedUntil, when not Locked, is set if this was the last allowed try:
	// the lockout has started already and only a right PIN clears it.
	LockedUntil *time.Time
}

// CredentialStore is the privileged store of secret hashes; only the
// credential rules of the identity module use it.
type CredentialStore interface {
	// GetPIN returns ErrNotFound when the user has no PIN.
	GetPIN(ctx context.Context, userID uuid.UUID) (PINCredential, error)
	// CreatePIN stores a user's first PIN and starts the history; CONFLICT
	// when the user has one already (two first-PIN setups racing).
	CreatePIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// SetPIN stores a new hash, resets the lockout, and appends the hash to
	// the history.
	SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// RecentPINHashes returns the user's last n PIN hashes, newest first.
	RecentPINHashes(ctx context.Context, userID uuid.UUID, n int) ([]string, error)
	// ReservePINAttempt counts a try before the PIN is checked, in one
	// statement, so concurrent tries can never check more than maxAttempts
	// PINs per lockout. The try that reaches maxAttempts starts the lockout
	// at once (until at+lockFor*2^lockouts, capped at maxLock) and resets
	// the counter. Under a lockout nothing is counted and Locked is set.
	// Tries are counted per scope: deviceID is a trusted device that proved
	// itself (its own count), uuid.Nil everything else (the account's count).
	// ErrNotFound when the user has no PIN (or no such device).
	ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	// ResetPINFailures clears a scope's counter and lockout after a right PIN.
	ResetPINFailures(ctx context.Context, userID, deviceID uuid.UUID) error

	// SetPassword stores a user's password hash (first or new) and clears
	// its lockout.
	SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// ReservePasswordAttempt is ReservePINAttempt for the password, with the
	// same scopes: deviceID is a trusted device that proved itself (its own
	// count), uuid.Nil everything else (strangers' count). ErrNotFound when
	// the user has no password (or no such device).
	ReservePasswordAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	// ResetPasswordFailures clears a scope's password counter and lockout.
	ResetPasswordFailures(ctx context.Context, userID, deviceID uuid.UUID) error

	// GetTOTP returns the user's TOTP credential, enrolled or pending;
	// ErrNotFound when none.
	GetTOTP(ctx context.Context, userID uuid.UUID) (TOTPCredential, error)
	// PutPendingTOTP stores a new, unconfirmed secret (sealed), replacing
	// an earlier unconfirmed one; CONFLICT when TOTP is already enabled.
	PutPendingTOTP(ctx context.Context, userID uuid.UUID, sealedSecret []byte, at time.Time) error
	// ConfirmTOTP enables the pending secret, records step as used, and
	// replaces the user's recovery codes with these digests; ErrNotFound
	// when nothing is pending.
	ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, recoveryDigests [][]byte, at time.Time) error
	// UseTOTPStep records step as the last one accepted, only if it is
	// later than the last one (a code is accepted once): false otherwise.
	UseTOTPStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error)
	// DeleteTOTP removes the TOTP credential and the recovery codes.
	DeleteTOTP(ctx context.Context, userID uuid.UUID) error
	// UseRecoveryCode spends the unused recovery code with this digest;
	// false when there is none.
	UseRecoveryCode(ctx context.Context, userID uuid.UUID, digest []byte, at time.Time) (bool, error)
	// RecoveryCodesLeft counts unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID uuid.UUID) (int, error)

	// DeleteAll erases every credential of the user: PIN and its history,
	// password, TOTP, recovery codes.
	DeleteAll(ctx context.Context, userID uuid.UUID) error
}

// TOTPCredential is a user's authenticator-app secret.
type TOTPCredential struct {
	UserID uuid.UUID
	// SealedSecret is the base32 secret encrypted with a SecretBox.
	SealedSecret []byte
	// ConfirmedAt is nil while the enrollment waits for its first code.
	ConfirmedAt *time.Time
	// LastStep is the last time step whose code was accepted.
	LastStep  int64
	CreatedAt time.Time
}
