package kyc

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/ports"
)

// What a staff action leaves behind: activity rows for the staff member
// and the user, one admin activity in the audit trail, and a text message
// to the user queued with the change.

// recordStaff records a staff action twice (see ports.StaffActivities); a
// failure is logged, never returned.
func (t trail) recordStaff(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) {
	staff, subj := ports.StaffActivities(ctx, c, subject, "KYC", action, err, details, t.clock.Now())
	for _, a := range []ports.Activity{staff, subj} {
		if rerr := t.activities.Record(ctx, a); rerr != nil {
			t.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
		}
	}
}

// recordStaffTx records a staff action twice inside the caller's
// transaction, so that the rows commit with the action.
func (t trail) recordStaffTx(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) error {
	staff, subj := ports.StaffActivities(ctx, c, subject, "KYC", action, err, details, t.clock.Now())
	if err := t.activities.Record(ctx, staff); err != nil {
		return err
	}
	return t.activities.Record(ctx, subj)
}

// staffAudit writes the one admin activity of a staff change inside its
// transaction (the staff audit trail).
type staffAudit struct {
	audit ports.AuditTrail
	clock ports.Clock
}

func (a staffAudit) recordAdminTx(ctx context.Context, c *ports.Caller, userID uuid.UUID, action, reason string,
	input map[string]any) error {
	return a.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, &userID, action, reason, input, nil,
		a.clock.Now()))
}

// queueDecision queues the text that tells the user the decision, in the
// decision's transaction: it is sent if and only if the decision commits.
// A user without a phone gets none.
func (s *Review) queueDecision(ctx context.Context, sub Submission) error {
	name := messages.KYCApproved
	if sub.Status == StatusRejected {
		name = messages.KYCRejected
	}
	return staffrule.TextUser(ctx, s.users, s.outbox, sub.UserID, name, "kyc:"+sub.ID.String())
}
