package kyc

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// ListPINResets lists the resets in status (PENDING_REVIEW when empty),
// oldest first, for staff; first is 1 to 100. Errors: UNAUTHENTICATED,
// FORBIDDEN, VALIDATION_FAILED.
func (s *Service) ListPINResets(ctx context.Context, status PINResetStatus, first int, after string) (PINResetPage, error) {
	if _, err := s.decider(ctx, "pinResets"); err != nil {
		return PINResetPage{}, err
	}
	if status == "" {
		status = PINResetPendingReview
	}
	var errs []error
	if _, ok := pinResetStatusText[status]; !ok {
		errs = append(errs, ports.InvalidField("status", "is not a PIN reset status"))
	}
	if first < 1 || first > 100 {
		errs = append(errs, ports.InvalidField("first", "must be between 1 and 100"))
	}
	var cursor *SubmissionCursor
	if after != "" {
		at, id, err := ports.DecodeCursor(after)
		if err != nil {
			errs = append(errs, err)
		}
		cursor = &SubmissionCursor{SubmittedAt: at, ID: id}
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return PINResetPage{}, err
	}
	items, err := s.resets.ListPINResets(ctx, status, cursor, first+1)
	if err != nil {
		return PINResetPage{}, err
	}
	page := PINResetPage{}
	page.Items, page.HasNext = ports.TrimPage(items, first)
	page.Cursors = ports.PageCursors(page.Items, func(r PINReset) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID })
	return page, nil
}

// ApprovePINReset lets the user of a reset waiting for review set a new
// PIN, and tells them by SMS. The reset of a staff account (any role but
// MEMBER) is for a SUPERADMIN to decide. Errors: UNAUTHENTICATED,
// FORBIDDEN, NOT_FOUND, CONFLICT (not waiting for review, expired, or decided
// meanwhile).
func (s *Service) ApprovePINReset(ctx context.Context, id uuid.UUID) (PINReset, error) {
	return s.pinResetDecide(ctx, "approvePinReset", id, PINResetApproved, "")
}

// RejectPINReset refuses a reset waiting for review with a reason the user
// sees, and tells them by SMS. Errors: as ApprovePINReset, and
// VALIDATION_FAILED (reason).
func (s *Service) RejectPINReset(ctx context.Context, id uuid.UUID, reason string) (PINReset, error) {
	return s.pinResetDecide(ctx, "rejectPinReset", id, PINResetRejected, reason)
}

func (s *Service) pinResetDecide(ctx context.Context, operation string, id uuid.UUID, status PINResetStatus, reason string) (PINReset, error) {
	staff, err := s.decider(ctx, operation)
	if err != nil {
		return PINReset{}, err
	}
	if status == PINResetRejected {
		if reason, err = reasonText("reason", reason); err != nil {
			return PINReset{}, err
		}
	}
	r, err := s.resets.GetPINReset(ctx, id)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return PINReset{}, ports.Errorf(ports.CodeNotFound, "no such PIN reset")
	} else if err != nil {
		return PINReset{}, err
	}
	if r.UserID == staff.UserID {
		return PINReset{}, ports.Errorf(ports.CodeForbidden, "another staff member must decide your own PIN reset")
	}
	if err := s.pinResetMayDecideFor(ctx, staff, r.UserID); err != nil {
		return PINReset{}, err
	}
	if r.Status != PINResetPendingReview {
		return PINReset{}, pinResetStateError(r.Status)
	}
	now := s.clock.Now()
	if !now.Before(r.ExpiresAt) {
		return PINReset{}, ports.Errorf(ports.CodeConflict, "this PIN reset has expired; the user must start a new one")
	}
	var out PINReset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// The subject's lock, not the staff member's.
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		var err error
		out, err = s.resets.TransitionPINReset(ctx, id, []PINResetStatus{PINResetPendingReview}, PINResetChange{
			Status: status, Reason: reason, DecidedAt: &now, DecidedBy: &staff.UserID})
		if err != nil {
			return s.pinResetTransitionError(ctx, id, err)
		}
		// Under the staff member with their address, under the user
		// without it (recordStaff).
		s.recordStaff(ctx, staff, r.UserID, "pin_reset."+strings.ToLower(string(status)), nil,
			map[string]string{"reset": id.String()})
		// The audit trail names the user whose reset it is.
		op := "approvePinReset"
		if status == PINResetRejected {
			op = "rejectPinReset"
		}
		return s.recordAdminTx(ctx, staff, r.UserID, op, reason, map[string]any{"id": id.String(), "reason": reason})
	})
	if err != nil {
		return PINReset{}, err
	}
	ports.MarkAudited(ctx)
	text := "Gatehouse: your PIN reset was approved. Open the app to set your new PIN."
	if out.Status == PINResetRejected {
		text = "Gatehouse: your PIN reset was not approved. Open the app to see why and to start again."
	}
	s.textUser(ctx, out.UserID, text)
	return out, nil
}

// pinResetMayDecideFor refuses a decision on the reset of a staff account
// (any role but MEMBER) unless the caller is SUPERADMIN: a PIN reset hands
// over the account, and staff accounts can do more than their deciders. An
// account that can no longer be read is treated as a staff account.
func (s *Service) pinResetMayDecideFor(ctx context.Context, staff *ports.Caller, userID uuid.UUID) error {
	if staff.Role == ports.RoleSuperadmin {
		return nil
	}
	u, err := s.users.GetByID(ctx, userID)
	if err != nil && ports.ErrorCodeOf(err) != ports.CodeNotFound {
		return err
	}
	if err != nil || u.Role != ports.RoleMember {
		return ports.Errorf(ports.CodeForbidden, "only a SUPERADMIN may decide the PIN reset of a staff account")
	}
	return nil
}

// pinResetOfMember says whether the user is a MEMBER now; a user that
// cannot be read counts as staff.
func (s *Service) pinResetOfMember(ctx context.Context, userID uuid.UUID) bool {
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		if ports.ErrorCodeOf(err) != ports.CodeNotFound {
			s.log.ErrorContext(ctx, "PIN reset: user not read; treated as staff", "user", userID, "err", err)
		}
		return false
	}
	return u.Role == ports.RoleMember
}

// pinResetDecidedBySuperadmin says whether a staff member who is a
// SUPERADMIN now decided r (not the selfie verifier).
func (s *Service) pinResetDecidedBySuperadmin(ctx context.Context, r PINReset) bool {
	if r.DecidedBy == nil {
		return false
	}
	u, err := s.users.GetByID(ctx, *r.DecidedBy)
	return err == nil && u.Role == ports.RoleSuperadmin
}
