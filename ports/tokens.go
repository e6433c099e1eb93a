package ports

import (
	"time"

	"github.com/google/uuid"
)

// AccessClaims is what an access token asserts.
type AccessClaims struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	Role      string
	Scopes    []string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// TokenSigner issues and checks signed access tokens.
type TokenSigner interface {
	// Sign returns the compact token for c (IssuedAt/ExpiresAt set by caller).
	Sign(c AccessClaims) (string, error)
	// Verify checks signature, audience and expiry at now; an invalid
	// token returns an UNAUTHENTICATED *Error.
	Verify(token string, now time.Time) (AccessClaims, error)
	// JWKS returns the public key set as JSON.
	JWKS() []byte
}
