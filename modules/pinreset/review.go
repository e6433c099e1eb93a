package pinreset

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/ports"
)

// The staff review: the queue, and the decisions on a reset the verifier
// left to staff. The permission rows say which roles may (operations
// pinResets, approvePinReset, rejectPinReset); the service adds the
// ownership rules (never one's own reset; a staff account's reset is a
// SUPERADMIN's).

// Review is the staff review of the resets the verifier left to staff.
type Review struct {
	trail
	resets  Resets
	users   Users
	callers ports.CallerSource
	rules   Rules
	tx      ports.TxRunner
	clock   ports.Clock
	outbox  ports.Outbox
	// audit keeps the staff audit trail (staff decisions).
	audit ports.AuditTrail
}

// NewReview returns the staff review; callers and rules decide who may
// (see decider).
func NewReview(resets Resets, users Users, callers ports.CallerSource, rules Rules, tx ports.TxRunner,
	clock ports.Clock, outbox ports.Outbox, activities ports.ActivityLog, audit ports.AuditTrail,
	log *slog.Logger) *Review {
	return &Review{trail: trail{activities: activities, clock: clock, log: log}, resets: resets, users: users,
		callers: callers, rules: rules, tx: tx, clock: clock, outbox: outbox, audit: audit}
}

// List lists the resets in status (PENDING_REVIEW when empty), oldest
// first, for staff; first is 1 to 100. Errors: UNAUTHENTICATED,
// FORBIDDEN, VALIDATION_FAILED.
func (s *Review) List(ctx context.Context, status Status, first int, after string) (Page, error) {
	if _, err := s.decider(ctx, "pinResets"); err != nil {
		return Page{}, err
	}
	if status == "" {
		status = PendingReview
	}
	var errs []error
	if _, ok := statusText[status]; !ok {
		errs = append(errs, ports.InvalidField("status", "is not a PIN reset status"))
	}
	at, id, hasAfter, err := ports.PageArgs(first, after)
	errs = append(errs, err)
	var cursor *Cursor
	if hasAfter {
		cursor = &Cursor{CreatedAt: at, ID: id}
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return Page{}, err
	}
	items, err := s.resets.List(ctx, status, cursor, first+1)
	if err != nil {
		return Page{}, err
	}
	page := Page{}
	page.Items, page.HasNext = ports.TrimPage(items, first)
	page.Cursors = ports.PageCursors(page.Items, func(r Reset) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID })
	return page, nil
}

// Approve lets the user of a reset waiting for review set a new PIN, and
// tells them by SMS. The reset of a staff account (any role but MEMBER) is
// for a SUPERADMIN to decide. Errors: UNAUTHENTICATED, FORBIDDEN,
// NOT_FOUND, CONFLICT (not waiting for review, expired, or decided
// meanwhile).
func (s *Review) Approve(ctx context.Context, id uuid.UUID) (Reset, error) {
	return s.decide(ctx, "approvePinReset", id, Approved, "")
}

// Reject refuses a reset waiting for review with a reason the user sees,
// and tells them by SMS. Errors: as Approve, and VALIDATION_FAILED
// (reason).
func (s *Review) Reject(ctx context.Context, id uuid.UUID, reason string) (Reset, error) {
	return s.decide(ctx, "rejectPinReset", id, Rejected, reason)
}

func (s *Review) decide(ctx context.Context, operation string, id uuid.UUID, status Status, reason string) (Reset, error) {
	staff, err := s.decider(ctx, operation)
	if err != nil {
		return Reset{}, err
	}
	if status == Rejected {
		// The rule of every reason staff give (KYC's rejections too).
		if reason, err = textin.Reason("reason", reason); err != nil {
			return Reset{}, err
		}
	}
	r, err := s.resets.Get(ctx, id)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Reset{}, ports.Errorf(ports.CodeNotFound, "no such PIN reset")
	} else if err != nil {
		return Reset{}, err
	}
	if r.UserID == staff.UserID {
		return Reset{}, ports.Errorf(ports.CodeForbidden, "another staff member must decide your own PIN reset")
	}
	if err := s.mayDecideFor(ctx, staff, r.UserID); err != nil {
		return Reset{}, err
	}
	if r.Status != PendingReview {
		return Reset{}, stateError(r.Status)
	}
	now := s.clock.Now()
	if !now.Before(r.ExpiresAt) {
		return Reset{}, ports.Errorf(ports.CodeConflict, "this PIN reset has expired; the user must start a new one")
	}
	var out Reset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// The subject's lock, not the staff member's.
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		var err error
		out, err = s.resets.Transition(ctx, id, []Status{PendingReview}, Change{
			Status: status, Reason: reason, DecidedAt: &now, DecidedBy: &staff.UserID})
		if err != nil {
			return transitionError(ctx, s.resets, id, err)
		}
		// Under the staff member with their address, under the user
		// without it (recordStaff).
		s.recordStaff(ctx, staff, r.UserID, "pin_reset."+strings.ToLower(string(status)), nil,
			map[string]string{"reset": id.String()})
		// The audit trail names the user whose reset it is, and commits
		// with the decision; so does the text that tells the user.
		if err := s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, staff.UserID, &r.UserID, operation, reason,
			map[string]any{"id": id.String(), "reason": reason}, nil, s.clock.Now())); err != nil {
			return err
		}
		return s.queueText(ctx, out)
	})
	if err != nil {
		return Reset{}, err
	}
	ports.MarkAudited(ctx)
	return out, nil
}

// decider returns the caller when the permission rows let their role do
// operation. The rows are the one source of truth for roles: an ALLOW row
// widens who may, a DENY row narrows it.
func (s *Review) decider(ctx context.Context, operation string) (*ports.Caller, error) {
	return staffrule.Caller(ctx, s.callers, s.rules, operation)
}

// mayDecideFor refuses a decision on the reset of a staff account (any
// role but MEMBER) unless the caller is SUPERADMIN: a PIN reset hands over
// the account, and staff accounts can do more than their deciders. An
// account that can no longer be read is treated as a staff account.
func (s *Review) mayDecideFor(ctx context.Context, staff *ports.Caller, userID uuid.UUID) error {
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

// queueText queues the text that tells the user the decision on r, in the
// decision's transaction; a user without a phone gets none.
func (s *Review) queueText(ctx context.Context, r Reset) error {
	name := messages.PINResetApproved
	if r.Status == Rejected {
		name = messages.PINResetRejected
	}
	return staffrule.TextUser(ctx, s.users, s.outbox, r.UserID, name, "pinreset:"+r.ID.String())
}
