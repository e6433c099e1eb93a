package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Session is a signed-in device; its refresh tokens form one family.
type Session struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	DeviceID   uuid.UUID
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	RevokeNote string
	// MFA is true when the session was opened with a second factor.
	MFA bool
}

// RefreshRotation is the outcome of presenting a refresh token.
type RefreshRotation struct {
	Session Session
	// Reused is true when the token had already been rotated: the family
	// has then been revoked.
	Reused bool
}

// SessionStore keeps sessions and refresh-token hashes (SHA-256 only).
type SessionStore interface {
	Create(ctx context.Context, s Session, refreshHash []byte, refreshExpires time.Time) error
	Get(ctx context.Context, id uuid.UUID) (Session, error)
	// ListLive returns the user's sessions that are neither revoked nor
	// past ExpiresAt at now, most recently used first, at most 100.
	ListLive(ctx context.Context, userID uuid.UUID, now time.Time) ([]Session, error)
	// Rotate atomically marks the token with oldHash as used and stores
	// newHash in the same family. An unknown token is ErrNotFound; a
	// token used before revokes the family and reports Reused.
	Rotate(ctx context.Context, oldHash, newHash []byte, at, newExpires time.Time) (RefreshRotation, error)
	Revoke(ctx context.Context, id uuid.UUID, at time.Time, note string) error
	// RevokeAllForUser revokes every live session of the user except keep
	// (uuid.Nil keeps none) and returns how many it revoked.
	RevokeAllForUser(ctx context.Context, userID uuid.UUID, keep uuid.UUID, at time.Time, note string) (int, error)
}

// Ticket is a short-lived, single-use proof that a step was passed
// (a verified phone at sign-up). Only the SHA-256 of its secret is kept.
type Ticket struct {
	ID        uuid.UUID
	Purpose   string
	Subject   string // e.g. the verified phone
	Metadata  map[string]string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TicketStore keeps tickets.
type TicketStore interface {
	Create(ctx context.Context, t Ticket, secretHash []byte) error
	// Find returns an unused ticket without using it, so a caller can
	// refuse a bad ticket before doing costly work; ErrNotFound when
	// unknown, used or of another purpose.
	Find(ctx context.Context, secretHash []byte, purpose string) (Ticket, error)
	// Use marks the ticket used if it is unused, inside the caller's
	// transaction; ErrNotFound when unknown, used or of another purpose.
	// It returns the ticket as it was, so the caller can check expiry.
	Use(ctx context.Context, secretHash []byte, purpose string, at time.Time) (Ticket, error)
}
