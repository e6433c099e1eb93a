package identity

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// What a user's sign-up recorded, read back: the external phone
// verification's id and who referred them. A user reads their own; staff
// read anyone's as the permission rows of these field operations say.
const (
	opReadFirebaseUID    = "User.firebaseUid"
	opReadReferredByCode = "User.referredByCode"
	opReadReferrer       = "User.referrer"
)

// FirebaseUID returns the id of the external phone verification userID
// gave at sign-up ("" when none), to the user and to the roles the
// User.firebaseUid rows allow. Errors: UNAUTHENTICATED, FORBIDDEN.
func (r *ReadService) FirebaseUID(ctx context.Context, userID uuid.UUID) (string, error) {
	u, err := r.ownOrAllowed(ctx, userID, opReadFirebaseUID)
	if err != nil || u == nil {
		return "", err
	}
	return u.FirebaseUID, nil
}

// ReferredByCode returns the referral code userID signed up with: their
// referrer's code, which is what a wallet shows its user (the user typed
// it; the referrer's name or contacts would tell them more than they
// gave). "" when none, or when the referrer's account is deleted. For the
// user and the roles the User.referredByCode rows allow.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (r *ReadService) ReferredByCode(ctx context.Context, userID uuid.UUID) (string, error) {
	u, err := r.ownOrAllowed(ctx, userID, opReadReferredByCode)
	if err != nil || u == nil || u.ReferredBy == nil {
		return "", err
	}
	ref, err := r.load(ctx, *u.ReferredBy)
	if err != nil || ref == nil || ref.State == StateDeleted {
		return "", err
	}
	return ref.ReferralCode, nil
}

// Referrer returns the user who referred userID (nil when none), only to
// the roles the User.referrer rows allow. The referred user themself gets
// nil, not an error, unless the rows open it to their role: the referrer's
// contacts are not theirs to read (they read ReferredByCode), and a null
// keeps a sign-in payload that asks for it whole.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (r *ReadService) Referrer(ctx context.Context, userID uuid.UUID) (*User, error) {
	c, err := r.caller(ctx)
	if err != nil {
		return nil, err
	}
	if r.rules == nil || !r.rules.Allowed(c.Role, opReadReferrer) {
		if c.UserID == userID {
			return nil, nil
		}
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not read who referred a user")
	}
	u, err := r.load(ctx, userID)
	if err != nil || u == nil || u.ReferredBy == nil {
		return nil, err
	}
	return r.load(ctx, *u.ReferredBy)
}

// ownOrAllowed returns userID's record to the user and to the roles
// operation's rows allow; nil when there is no such user.
func (r *ReadService) ownOrAllowed(ctx context.Context, userID uuid.UUID, operation string) (*User, error) {
	c, err := r.caller(ctx)
	if err != nil {
		return nil, err
	}
	if c.UserID != userID && (r.rules == nil || !r.rules.Allowed(c.Role, operation)) {
		return nil, ports.Errorf(ports.CodeForbidden, "you may only read this of your own account")
	}
	return r.load(ctx, userID)
}

// load reads a user through the request's loader when there is one (a
// page of users, then their referrers, in one statement each), directly
// otherwise; nil when there is no such user.
func (r *ReadService) load(ctx context.Context, id uuid.UUID) (*User, error) {
	if l := readLoadersFrom(ctx); l != nil {
		u, err := l.users.Load(ctx, id)
		if err != nil || u == nil {
			return nil, err
		}
		cp := *u
		return &cp, nil
	}
	u, err := r.users.GetByID(ctx, id)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &u, nil
}
