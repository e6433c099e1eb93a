package otp

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store keeps challenges and the log of their sends (adapters/postgres,
// or otptest's fake). A missing challenge is ports.ErrNotFound (or an
// error with code NOT_FOUND); a taken id is a CONFLICT.
type Store interface {
	// Create stores a new challenge and records one send for its
	// destination, charged to c.Budget for c.Client.
	Create(ctx context.Context, c Challenge) error
	// GetForUpdate loads a challenge and locks it until the surrounding
	// transaction ends (ErrNotFound when missing).
	GetForUpdate(ctx context.Context, id uuid.UUID) (Challenge, error)
	// Get loads a challenge without locking it, for a read that changes
	// nothing (ErrNotFound when missing).
	Get(ctx context.Context, id uuid.UUID) (Challenge, error)
	// SetAttempts records the number of wrong tries.
	SetAttempts(ctx context.Context, id uuid.UUID, attempts int) error
	// MarkConsumed sets consumed_at; it reports false when the challenge
	// was already consumed.
	MarkConsumed(ctx context.Context, id uuid.UUID, at time.Time) (bool, error)
	// Rearm replaces the code, expiry, resend time and client of a
	// challenge (a resend), keeps its wrong tries, and records one send at
	// at, charged like Create's.
	Rearm(ctx context.Context, c Challenge, at time.Time) error
	// LockDestination serialises sends to one destination (or, given
	// "client:"+key, of one client) until the surrounding transaction ends.
	LockDestination(ctx context.Context, destination string) error
	// SendsSince counts the sends q selects and returns the oldest of them.
	SendsSince(ctx context.Context, q SendQuery) (count int, oldest time.Time, err error)
}

// SendQuery selects the sends to count: those after Since (a send at
// exactly Since has left the window), narrowed by the fields that are set.
type SendQuery struct {
	Destination string
	Budget      SendBudget
	Client      string
	Since       time.Time
}
