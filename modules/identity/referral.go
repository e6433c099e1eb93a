package identity

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// maxReferralCodeLength bounds what is looked up as a referral code (ours
// are 8 characters; the bound leaves room for codes imported with users).
const maxReferralCodeLength = 32

// errNotAReferralCode is the one answer to a referral code that names no
// one who can refer: unknown, too long, or an account that was never
// confirmed or is deleted. One answer for all, so the field cannot tell
// which accounts once existed.
var errNotAReferralCode = ports.InvalidField("referralCode", "is not a referral code")

// checkReferralCode refuses a referral code that cannot be one by its
// shape, before any lookup ("" means none and is fine).
func checkReferralCode(code string) error {
	if len(code) > maxReferralCodeLength {
		return errNotAReferralCode
	}
	return nil
}

// referrerOf finds the user who gave code: nil for "", the referrer's id
// otherwise. Errors: VALIDATION_FAILED on referralCode.
func referrerOf(ctx context.Context, users Users, code string) (*uuid.UUID, error) {
	if code == "" {
		return nil, nil
	}
	if err := checkReferralCode(code); err != nil {
		return nil, err
	}
	r, err := users.GetByReferralCode(ctx, code)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, errNotAReferralCode
	} else if err != nil {
		return nil, err
	}
	if r.State == StatePending || r.State == StateDeleted {
		return nil, errNotAReferralCode
	}
	return &r.ID, nil
}
