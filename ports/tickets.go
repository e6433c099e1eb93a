package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

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
