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
	confirm func(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error
	max     int
	lockFor time.Duration // first lockout; doubles on each further one
	maxLock time.Duration
	hasher  ports.SecretHasher
}

// pinCheck checks PINs. Errors of check: UNAUTHENTICATED (wrong PIN),
// LOCKED (only in a trusted device's scope).
func pinCheck(cfg Config, pins PINs, hasher ports.SecretHasher, rec recorder) secretCheck {
	return secretCheck{recorder: rec, topic: "PIN", what: "PINs", bad: errBadCredentials, max: cfg.PINMaxAttempts,
		reserve: pins.ReservePINAttempt, reset: pins.ResetPINFailures, confirm: pins.ConfirmPINLock, lockFor: cfg.PINLockFor, maxLock: cfg.PINMaxLock,
		hasher: hasher}
}

// passwordCheck is pinCheck for the password (same lock durations).
func passwordCheck(cfg Config, passwords Passwords, hasher ports.SecretHasher, rec recorder) secretCheck {
	return secretCheck{recorder: rec, topic: "PASSWORD", what: "passwords", bad: errBadPassword, max: cfg.PasswordMaxAttempts,
		reserve: passwords.ReservePasswordAttempt, reset: passwords.ResetPasswordFailures,
		confirm: passwords.ConfirmPasswordLock, lockFor: cfg.PINLockFor,
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
// The try that fills the count starts the lock at once, pending on the
// tries still being checked: that try, if wrong, confirms it (in the
// strangers' scope any wrong one does), and a right one lifts it. A trusted device's try that meets a pending lock waits for them
// (pendingWait at most) and tries again, so its right secret is not
// refused because its other right tries were in flight (an app that
// signs in twice at once); the guesses checked still never exceed the
// count. In the strangers' scope a pending lock answers as a lock does:
// waiting there would show in the timing that the account exists.
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
	if deviceID != uuid.Nil {
		now, try, err = k.awaitPending(ctx, u.ID, deviceID, now, try, err)
	}
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
		if deviceID == uuid.Nil {
			k.confirmWrong(ctx, u.ID, deviceID, now) // the statements of a wrong secret
		}
		return locked()
	}
	ok, err := k.hasher.Verify(ctx, secret, try.Hash)
	if err != nil {
		return err
	}
	if ok {
		return k.reset(ctx, u.ID, deviceID)
	}
	if deviceID == uuid.Nil || try.LockedUntil != nil {
		// On a trusted device only the try that started the lock confirms
		// it: the others' verdicts would make a lock that a right try in
		// flight is about to lift show as LOCKED to the tries waiting.
		k.confirmWrong(ctx, u.ID, deviceID, now)
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
	now := k.clock.Now()
	_, _ = k.reserve(ctx, uuid.Nil, uuid.Nil, now, k.max, k.lockFor, k.maxLock)
	k.hasher.Burn(ctx, secret)
	k.confirmWrong(ctx, uuid.Nil, uuid.Nil, now)
}

// confirmWrong tells the scope a try at at was wrong: a lock pending on it
// becomes a lockout. Best effort: left pending, the lock still holds (and
// a trusted device's waiting tries give up after pendingWait).
func (k secretCheck) confirmWrong(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) {
	_ = k.confirm(ctx, userID, deviceID, at)
}

// pendingWait bounds how long a trusted device's try waits for the tries
// a pending lock waits on; pendingPoll is the first pause between looks
// (doubling up to 100 ms).
const (
	pendingWait = 5 * time.Second
	pendingPoll = 10 * time.Millisecond
)

// awaitPending makes the try again while it meets a pending lock, until
// the lock is lifted (the try is counted), confirmed, or pendingWait has
// passed (the pending lock answers as a lock). It returns the time of the
// last try with its result.
func (k secretCheck) awaitPending(ctx context.Context, userID, deviceID uuid.UUID, now time.Time,
	try PINAttempt, err error) (time.Time, PINAttempt, error) {
	pause := pendingPoll
	for deadline := time.Now().Add(pendingWait); err == nil && try.Locked && try.Pending && time.Now().Before(deadline); {
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return now, try, err
		case <-t.C:
		}
		pause = min(2*pause, 100*time.Millisecond)
		now = k.clock.Now()
		try, err = k.reserve(ctx, userID, deviceID, now, k.max, k.lockFor, k.maxLock)
	}
	return now, try, err
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
