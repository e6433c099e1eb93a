package kyc

import (
	"context"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Hook keeps the KYC labels that identity events prove: a verified phone
// gives phone=verified (and a verified row in the user's phones), a
// verified email email=verified; the level follows. It needs only stores,
// not the CallerSource, so that identity (which calls hooks) does not
// depend on the KYC services. It runs inside identity's transaction.
type Hook struct {
	labels Labels
	phones Phones
	users  Users
	clock  ports.Clock
}

var _ identity.UserHook = (*Hook)(nil)

// NewHook returns the hook.
func NewHook(labels Labels, phones Phones, users Users, clock ports.Clock) *Hook {
	return &Hook{labels: labels, phones: phones, users: users, clock: clock}
}

// OnUserEvent sets the labels e proves.
func (h *Hook) OnUserEvent(ctx context.Context, e identity.UserEvent) error {
	u := e.User
	phone := u.Phone != "" && (e.Kind == identity.UserActivated || e.Kind == identity.UserPhoneVerified)
	email := u.Email != "" && (e.Kind == identity.UserActivated || e.Kind == identity.UserEmailVerified)
	if !phone && !email {
		return nil
	}
	// The labels and the level they give change under the user's lock.
	if err := h.users.Lock(ctx, u.ID); err != nil {
		return err
	}
	b := labeler{store: h.labels, users: h.users, clock: h.clock}
	if phone {
		_, err := h.phones.VerifyPhone(ctx, u.ID, u.Phone, h.clock.Now())
		// Another user verified this number with addPhone before: the
		// number is this user's now (identity proved it), the old row
		// stays the other's record; the label is still earned.
		if err != nil && !isCode(err, ports.CodeConflict) {
			return err
		}
		if _, err := b.apply(ctx, systemLabel(u.ID, LabelPhone, "Phone number verified by a code")); err != nil {
			return err
		}
	}
	if email {
		if _, err := b.apply(ctx, systemLabel(u.ID, LabelEmail, "Email address verified by a code")); err != nil {
			return err
		}
	}
	return nil
}
