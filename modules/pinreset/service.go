package pinreset

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// Service is the PIN reset's use cases that span identity and kyc.
type Service struct {
	pins    PINs
	tickets Tickets
}

// NewService returns the service.
func NewService(pins PINs, tickets Tickets) *Service { return &Service{pins: pins, tickets: tickets} }

// Complete sets the new PIN of the approved ticket's user (PIN rules and
// history apply), ends their sessions, takes trust from their other
// devices and signs in on this one. The ticket is spent in the same
// transaction as the PIN is set: it works once, and not at all for a PIN
// the rules refuse. Errors: those of identity's ResetPINWithProof
// (VALIDATION_FAILED, RATE_LIMITED, LOCKED, ACCESS_RESTRICTED) and of
// kyc's RedeemPINReset (NOT_FOUND, CONFLICT, FORBIDDEN).
func (s *Service) Complete(ctx context.Context, in CompleteInput) (identity.Auth, error) {
	return s.pins.ResetPINWithProof(ctx, identity.PINResetByProof{
		Redeem:     func(ctx context.Context) (uuid.UUID, error) { return s.tickets.RedeemPINReset(ctx, in.Ticket) },
		PIN:        in.PIN,
		ConfirmPIN: in.ConfirmPIN,
		DeviceKey:  in.DeviceKey,
		DeviceName: in.DeviceName,
	})
}
