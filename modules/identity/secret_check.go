package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// secretCheck checks a PIN or a password, each with its own counts,
// lockouts and answer to a wrong one.
type secretCheck struct {
	recorder
	topic   string // activity topic
	what    string // in the LOCKED message
	bad     error  // a wrong secret's answer
	reserve func(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	reset   func(ctx context.Context, userID, deviceID uuid.UUID) error
	max     int
	lockFor time.Duration // first lockout; doubles on each further one
	maxLock time.Duration
	hasher  ports.SecretHasher
}

// pinCheck checks PINs. Errors of check: UNAUTHENTICATED (wrong PIN),
// LOCKED (only in a trusted device's scope).
func pinCheck(cfg Config, pins PINs, hasher ports.SecretHasher, rec recorder) secretCheck {
	return secretCheck{recorder: rec, topic: "PIN", what: "PINs", bad: errBadCredentials, max: cfg.PINMaxAttempts,
		reserve: pins.ReservePINAttempt, reset: pins.ResetPINFailures, lockFor: cfg.PINLockFor, maxLock: cfg.PINMaxLock,
		hasher: hasher}
}

// passwordCheck is pinCheck for the password (same lock durations).
func passwordCheck(cfg Config, passwords Passwords, hasher ports.SecretHasher, rec recorder) secretCheck {
	return secretCheck{recorder: rec, topic: "PASSWORD", what: "passwords", bad: errBadPassword, max: cfg.PasswordMaxAttempts,
		reserve: passwords.ReservePasswordAttempt, reset: passwords.ResetPasswordFailures, lockFor: cfg.PINLockFor,
		maxLock: cfg.PINMaxLock, hasher: hasher}
}

// check verifies a PIN or password, counting the try in deviceID's
// scope: a trusted device that proved its trust counts its own wrong
// tries; every other device counts in the strangers' scope (uuid.Nil), so
// strangers' guesses can lock strangers out but never the owner's trusted
// device. The try is counted before the secret is checked, so a burst of
// concurrent guesses gets no more tries than one guess at a time; a right
// secret then clears the scope's count.
//
// A lock shows only to the trusted device it belongs to. In the strangers'
// scope a locked account answers exactly like a wrong secret (and so like
// an unknown account, with the same work): otherwise LOCKED would tell a
// stranger that the account exists. While locked the secret is not checked
// at all, so the lock cannot be used to test guesses either.
// The check runs detached from the client's cancellation (bounded), so a
// counted try is always checked and logged.
// Errors: UNAUTHENTICATED (wrong secret), LOCKED (trusted device only).
func (k secretCheck) check(ctx context.Context, u User, deviceID uuid.UUID, secret, action string) error {
	// From the count to the record, the client's hanging up changes nothing.
	ctx, cancel := detached(ctx)
	defer cancel()
	now := k.clock.Now()
	try, err := k.reserve(ctx, u.ID, deviceID, now, k.max, k.lockFor, k.maxLock)
	if errors.Is(err, ports.ErrNotFound) {
		k.hasher.Burn(ctx, secret)
		return k.bad
	} else if err != nil {
		return err
	}
	locked := func() error {
		err := lockedErr(k.what, try.LockedUntil, now)
		k.record(ctx, &u.ID, k.topic, action, err, map[string]string{"scope": scopeName(deviceID)})
		if deviceID == uuid.Nil {
			return k.bad
		}
		return err
	}
	if try.Locked {
		// Same work as a check, so a lockout does not show in the timing.
		k.hasher.Burn(ctx, secret)
		return locked()
	}
	ok, err := k.hasher.Verify(ctx, secret, try.Hash)
	if err != nil {
		return err
	}
	if ok {
		return k.reset(ctx, u.ID, deviceID)
	}
	if try.LockedUntil != nil {
		return locked()
	}
	k.record(ctx, &u.ID, k.topic, action, k.bad, map[string]string{"scope": scopeName(deviceID)})
	return k.bad
}

// checkNobody does the work of check (the device lookup, the
// counting statements, the hash) for an account that does not exist, so
// that an unknown account, a wrong secret and a strangers' lock take the
// same time as well as giving the same answer.
func (k secretCheck) checkNobody(ctx context.Context, devices DeviceLookup, deviceKey, secret string) {
	_, _ = devices.GetDevice(ctx, uuid.Nil, deviceKey)
	_, _ = k.reserve(ctx, uuid.Nil, uuid.Nil, k.clock.Now(), k.max, k.lockFor, k.maxLock)
	k.hasher.Burn(ctx, secret)
}

// scopeName says in the activity log whose count a try went to.
func scopeName(deviceID uuid.UUID) string {
	if deviceID == uuid.Nil {
		return "strangers"
	}
	return "trusted_device"
}

// lockedErr says a lockout of what (PINs, passwords) lasts until until.
func lockedErr(what string, until *time.Time, now time.Time) error {
	e := &ports.Error{Code: ports.CodeLocked, Message: "too many wrong " + what + "; try again later"}
	if until != nil && until.After(now) {
		e.RetryAfter = until.Sub(now)
	}
	return e
}
