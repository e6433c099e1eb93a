package ports

import "context"

// UserEventKind says what happened to a user.
type UserEventKind string

const (
	// UserActivated: an account became usable (phone sign-up completed,
	// email confirmed, created by an operator).
	UserActivated UserEventKind = "ACTIVATED"
	// UserPhoneVerified: a phone number was proven and is now User.Phone.
	UserPhoneVerified UserEventKind = "PHONE_VERIFIED"
	// UserEmailVerified: an email address was proven and is now User.Email.
	UserEmailVerified UserEventKind = "EMAIL_VERIFIED"
)

// UserEvent is a change to a user that other modules react to.
type UserEvent struct {
	Kind UserEventKind
	// User is the user as it is after the change.
	User User
}

// UserHook reacts to user events. The identity module calls every hook
// inside the transaction that made the change: a hook's error rolls the
// change back, and what a hook writes commits only with it.
type UserHook interface {
	OnUserEvent(ctx context.Context, e UserEvent) error
}
