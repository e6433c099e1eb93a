package kyc

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// What a staff action leaves behind: activity rows for the staff member
// and the user, one admin activity in the audit trail, and a text message
// to the user after the commit.

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

// notifyDecision texts the user the decision; a failure is only logged.
func (s *Review) notifyDecision(ctx context.Context, sub Submission) {
	msg := "Gatehouse: your identity verification was approved."
	if sub.Status == StatusRejected {
		msg = "Gatehouse: your identity verification was not approved. Open the app to see why and submit again."
	}
	s.textUser(ctx, sub.UserID, msg)
}

// textUser sends text to the user's phone after a commit; a user without
// a phone is skipped and a failure is only logged (the decision stands).
func (s *Review) textUser(ctx context.Context, userID uuid.UUID, text string) {
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		s.log.ErrorContext(ctx, "KYC message not sent: user not read", "user", userID, "err", err)
		return
	}
	if u.Phone == "" {
		return
	}
	if err := s.sms.SendSMS(ctx, u.Phone, text); err != nil {
		s.log.ErrorContext(ctx, "KYC message not sent", "user", userID, "err", err)
	}
}
