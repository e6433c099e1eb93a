package pinreset

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// Start sends a code to the phone of an account that wants to reset its
// PIN. The answer is the same whether or not the account can: an unknown
// phone, or an account that is not ACTIVE or has no PIN, gets a decoy
// challenge that looks, is stored and is limited like a real one and that
// no code answers; delivery happens after the answer either way, and both
// paths record the request (a decoy's names no user) before they answer,
// so the time taken does not tell them apart. Errors: VALIDATION_FAILED,
// RATE_LIMITED.
//
// The code spends the client's budget, or the owner's when device proves a
// device the account trusts: many strangers' resets cannot block the
// owner's, nor the owner's new-device sign-ins.
func (s *Steps) Start(ctx context.Context, rawPhone string, device identity.DeviceProof) (otp.ChallengeView, error) {
	phone, err := contact.NormalizePhone("phone", rawPhone)
	if err := ports.MergeInvalid(err, device.Check()); err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "pin_reset_start", s.cfg.StartsPerHour); err != nil {
		return otp.ChallengeView{}, err
	}
	req := otp.StartRequest{Purpose: otp.PurposePINReset, Channel: otp.ChannelSMS, To: phone}
	u, err := s.users.GetByPhone(ctx, phone)
	owner := uuid.Nil
	switch {
	case err == nil && u.State == userActive && u.HasPIN:
		req.Metadata = map[string]string{"userId": u.ID.String()}
		req.Locale = u.Locale
		owner = u.ID
	case err == nil || ports.ErrorCodeOf(err) == ports.CodeNotFound:
		req.Decoy = true
	default:
		return otp.ChallengeView{}, err
	}
	if req.Budget, err = s.budgets.BudgetFor(ctx, owner, device); err != nil {
		return otp.ChallengeView{}, err
	}
	ch, err := s.codes.Start(ctx, req)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	var uid *uuid.UUID
	if !req.Decoy {
		uid = &u.ID
	}
	s.record(ctx, uid, "pin_reset.requested", nil, nil)
	return ch, nil
}
