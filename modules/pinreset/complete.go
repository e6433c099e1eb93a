package pinreset

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// CompleteInput is what the holder of an approved ticket gives to set a
// new PIN and sign in on a device.
type CompleteInput struct {
	Ticket     string
	PIN        string
	ConfirmPIN string
	DeviceKey  string
	DeviceName string
}

// Complete sets the new PIN of the approved ticket's user (PIN rules and
// history apply), ends their sessions, takes trust from their other
// devices and signs in on this one. The ticket is spent in the same
// transaction as the PIN is set (identity runs redeem inside it): it works
// once, and not at all for a PIN the rules refuse. Errors: those of
// identity's ResetPINWithProof (VALIDATION_FAILED, RATE_LIMITED, LOCKED,
// ACCESS_RESTRICTED) and of redeem (NOT_FOUND, CONFLICT, FORBIDDEN).
func (s *Steps) Complete(ctx context.Context, in CompleteInput) (identity.Auth, error) {
	return s.pins.ResetPINWithProof(ctx, identity.PINResetByProof{
		Redeem:     func(ctx context.Context) (uuid.UUID, error) { return s.redeem(ctx, in.Ticket) },
		PIN:        in.PIN,
		ConfirmPIN: in.ConfirmPIN,
		DeviceKey:  in.DeviceKey,
		DeviceName: in.DeviceName,
	})
}

// redeem spends an APPROVED ticket and returns the user whose PIN may be
// set, inside the transaction ctx carries (identity's, which sets the new
// PIN), so the ticket is spent only with the PIN; a ticket works once, and
// the user's other open resets are rejected with it. The user's role is
// read again: an account that became staff since a MEMBER's reset was
// approved needs a SUPERADMIN's approval.
// Errors: NOT_FOUND (an unknown or expired ticket), CONFLICT (not
// approved, or already used), FORBIDDEN (a staff account's reset not
// approved by a SUPERADMIN).
func (s *Steps) redeem(ctx context.Context, ticket string) (uuid.UUID, error) {
	r, err := s.byTicket(ctx, ticket)
	if err != nil {
		return uuid.Nil, err
	}
	if r.Status != Approved {
		return uuid.Nil, stateError(r.Status)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		if !s.ofMember(ctx, r.UserID) && !s.decidedBySuperadmin(ctx, r) {
			err := ports.Errorf(ports.CodeForbidden,
				"this account is a staff account now: its PIN reset needs a SUPERADMIN's approval; start a new one")
			s.record(ctx, &r.UserID, "pin_reset.complete", err, map[string]string{"reset": r.ID.String()})
			return err
		}
		now := s.clock.Now()
		if _, err := s.resets.Transition(ctx, r.ID, []Status{Approved},
			Change{Status: Completed, CompletedAt: &now}); err != nil {
			return transitionError(ctx, s.resets, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.completed", nil, map[string]string{"reset": r.ID.String()})
		// The PIN is new: no other reset may change it again.
		return s.supersede(ctx, r.UserID, r.ID)
	})
	if err != nil {
		return uuid.Nil, err
	}
	return r.UserID, nil
}

// decidedBySuperadmin says whether a staff member who is a SUPERADMIN now
// decided r (not the selfie verifier).
func (s *Steps) decidedBySuperadmin(ctx context.Context, r Reset) bool {
	if r.DecidedBy == nil {
		return false
	}
	u, err := s.users.GetByID(ctx, *r.DecidedBy)
	return err == nil && u.Role == ports.RoleSuperadmin
}
