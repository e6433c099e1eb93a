package ports

import (
	"time"

	"github.com/google/uuid"
)

// TokenKind says who an access token speaks for.
type TokenKind string

const (
	// TokenUser is a user's session token (sign-in): UserID and SessionID
	// are set. The zero kind is a user's, so tokens issued before kinds
	// existed keep their meaning.
	TokenUser TokenKind = ""
	// TokenClient is a program's own token (OAuth2 client credentials):
	// ClientID is set, UserID and SessionID are not. It names no user and
	// no session, so it can never pass as a user's session.
	TokenClient TokenKind = "client"
)

// AccessClaims is what an access token asserts.
type AccessClaims struct {
	Kind      TokenKind
	UserID    uuid.UUID
	SessionID uuid.UUID
	// ClientID is the partner app of a TokenClient (its subject).
	ClientID  string
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
	// KindOf is the kind token claims to be, read without checking it
	// (TokenUser when it says none or cannot be read): cheap, so that a
	// request's token is sent down the right path before its one Verify.
	// It proves nothing; only Verify's answer may be trusted.
	KindOf(token string) TokenKind
}
