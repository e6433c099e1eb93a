package apikeys

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Keys keeps the API keys (adapters/postgres's APIKeyStore,
// apikeystest's Store). Reads of a missing key return ports.ErrNotFound.
type Keys interface {
	// Create stores k unless its user already holds max keys: a CONFLICT
	// *Error with reason KEY_LIMIT_REACHED then. Decided under the user's
	// lock, so parallel creations cannot pass the limit together.
	Create(ctx context.Context, k Key, max int) error
	// Get returns a key; ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Key, error)
	// OfUser returns the user's keys, oldest first.
	OfUser(ctx context.Context, userID uuid.UUID) ([]Key, error)
	// Update sets k's state (unless empty) and scopes (unless nil), and
	// UpdatedAt, if the key still belongs to k.UserID, and returns the key
	// as it now is; ErrNotFound otherwise. Only what is asked is written:
	// two changes at once (one disabling, one narrowing the scopes) both
	// hold, neither writes back what the other changed.
	Update(ctx context.Context, k Key) (Key, error)
	// Delete removes the key of userID with id, with its nonces;
	// ErrNotFound when there is none.
	Delete(ctx context.Context, userID, id uuid.UUID) error
}

// Nonces remembers the nonces each key accepted, for as long as they could
// be presented again (shared by every instance).
type Nonces interface {
	// Spend records nonce for keyID until expires and reports whether it
	// was new: of parallel calls with the same nonce, exactly one gets
	// true. The key's nonces that expired before now are forgotten on the
	// way (the authenticator passes its clock less the window, so that
	// instances whose clocks differ cannot forget a nonce another still
	// accepts).
	// ErrNotFound when the key is gone (deleted since it was read).
	Spend(ctx context.Context, keyID uuid.UUID, nonce int64, expires, now time.Time) (bool, error)
}

// SecondFactor checks a user's authenticator code (identity's MFA
// service).
type SecondFactor interface {
	// CheckTOTP accepts the user's current authenticator code, once; an
	// empty code takes and spends a step-up of the caller's own session
	// instead (VALIDATION_FAILED without one).
	// Errors: FORBIDDEN reason TOTP_REQUIRED (the app is not on),
	// INVALID_CODE, VALIDATION_FAILED, RATE_LIMITED.
	CheckTOTP(ctx context.Context, userID uuid.UUID, code string) error
}

// Sealer seals key secrets at rest with a key derived from the master key
// (the app binds it to a secrets.Box of its own, apart from the TOTP
// seeds').
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}
