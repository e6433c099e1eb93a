package kyc

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// What a staff action leaves behind: activity rows for the staff member
// and the user, and a text message to the user after the commit.

// recordStaff records a staff action twice (see ports.StaffActivities); a
// failure is logged, never returned.
func (s *Service) recordStaff(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) {
	staff, subj := ports.StaffActivities(ctx, c, subject, "KYC", action, err, details, s.clock.Now())
	for _, a := range []ports.Activity{staff, subj} {
		if rerr := s.activities.Record(ctx, a); rerr != nil {
			s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
		}
	}
}

// recordStaffTx records a staff action twice inside the caller's
// transaction, so that the rows commit with the action.
func (s *Service) recordStaffTx(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) error {
	staff, subj := ports.StaffActivities(ctx, c, subject, "KYC", action, err, details, s.clock.Now())
	if err := s.activities.Record(ctx, staff); err != nil {
		return err
	}
	return s.activities.Record(ctx, subj)
}

// notifyDecision texts the user the decision; a failure is only logged.
func (s *Service) notifyDecision(ctx context.Context, sub Submission) {
	msg := "Gatehouse: your identity verification was approved."
	if sub.Status == StatusRejected {
		msg = "Gatehouse: your identity verification was not approved. Open the app to see why and submit again."
	}
	s.textUser(ctx, sub.UserID, msg)
}

// textUser sends text to the user's phone after a commit; a user without
// a phone is skipped and a failure is only logged (the decision stands).
func (s *Service) textUser(ctx context.Context, userID uuid.UUID, text string) {
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
