package identity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// SignInStatus says what a sign-in attempt produced.
type SignInStatus string

const (
	SignedIn                   SignInStatus = "SIGNED_IN"
	DeviceVerificationRequired SignInStatus = "DEVICE_VERIFICATION_REQUIRED"
	PINSetupRequired           SignInStatus = "PIN_SETUP_REQUIRED"
)

// SignInResult carries a session or the next step.
type SignInResult struct {
	Status    SignInStatus
	Auth      *Auth
	Challenge *otp.ChallengeView
}

// PINSignIn is a sign-in request.
type PINSignIn struct {
	Phone      string
	PIN        string
	DeviceKey  string
	DeviceName string
	// DeviceSecret is what the device got when it was trusted.
	DeviceSecret string
}

var errBadCredentials = ports.Errorf(ports.CodeUnauthenticated, "the phone number or PIN is not correct")

// SignInWithPIN signs in on a trusted device (one that presents the
// secret it got when trusted), or sends a code to verify any other. An unknown number and a wrong PIN answer alike and take the
// same time. Errors: VALIDATION_FAILED, UNAUTHENTICATED, LOCKED,
// ACCESS_RESTRICTED, RATE_LIMITED.
func (s *Service) SignInWithPIN(ctx context.Context, in PINSignIn) (SignInResult, error) {
	// A wrong PIN counted must be logged whatever the client does.
	ctx, cancel := detached(ctx)
	defer cancel()
	phone, phoneErr := contact.NormalizePhone("phone", in.Phone)
	name, nameErr := cleanName("deviceName", in.DeviceName, 64)
	var pinErr error
	if len(in.PIN) < PINMinLength || len(in.PIN) > PINMaxLength {
		pinErr = ports.InvalidField("pin", "must be 4 to 6 digits")
	}
	var secretErr error
	if len(in.DeviceSecret) > 128 {
		secretErr = ports.InvalidField("deviceSecret", "is too long")
	}
	if err := ports.MergeInvalid(phoneErr, nameErr, pinErr, secretErr, ValidateDeviceKey("deviceId", in.DeviceKey)); err != nil {
		return SignInResult{}, err
	}
	if err := s.limit(ctx, "sign_in", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return SignInResult{}, err
	}
	u, err := s.users.GetByPhone(ctx, phone)
	if errors.Is(err, ports.ErrNotFound) {
		s.checkNobody(ctx, s.pinKind(), in.DeviceKey, in.PIN)
		s.record(ctx, nil, "SESSION", "sign_in.pin", errBadCredentials, map[string]string{"reason_detail": "unknown phone"})
		return SignInResult{}, errBadCredentials
	} else if err != nil {
		return SignInResult{}, err
	}
	if !u.HasPIN {
		s.hasher.Burn(ctx, in.PIN)
		return SignInResult{Status: PINSetupRequired}, nil
	}
	// Whether the device proves its trust decides whose count a wrong PIN
	// goes to: its own, or the account's (so a stranger who knows the number
	// cannot lock the owner out of their trusted phone).
	device, err := s.devices.GetDevice(ctx, u.ID, in.DeviceKey)
	if err != nil && !errors.Is(err, ports.ErrNotFound) {
		return SignInResult{}, err
	}
	trusted := err == nil && provesTrust(device, in.DeviceSecret)
	scope := uuid.Nil
	if trusted {
		scope = device.ID
	}
	if err := s.checkPIN(ctx, u, scope, in.PIN, "sign_in.pin"); err != nil {
		return SignInResult{}, err
	}
	if err := checkActive(u); err != nil {
		s.record(ctx, &u.ID, "SESSION", "sign_in.pin", err, nil)
		return SignInResult{}, err
	}
	if trusted {
		auth, err := s.signInOnDevice(ctx, u, Device{UserID: u.ID, DeviceKey: in.DeviceKey, Name: name}, "sign_in.pin")
		if err != nil {
			return SignInResult{}, err
		}
		return SignInResult{Status: SignedIn, Auth: &auth}, nil
	}
	// The PIN was right: the code spends the owner's budget, which
	// strangers' codes cannot touch.
	ch, err := s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposeSignInNewDevice, To: u.Phone, Budget: otp.BudgetOwner,
		Metadata: map[string]string{"userId": u.ID.String(), "deviceId": in.DeviceKey, "deviceName": name}})
	if err != nil {
		return SignInResult{}, err
	}
	s.record(ctx, &u.ID, "SESSION", "sign_in.new_device_challenge", nil, map[string]string{"device": in.DeviceKey})
	return SignInResult{Status: DeviceVerificationRequired, Challenge: &ch}, nil
}

// VerifyDeviceSignIn finishes a new-device sign-in: the code proves the
// phone, the device becomes trusted. Errors: those of otp Verify,
// ACCESS_RESTRICTED, LOCKED.
func (s *Service) VerifyDeviceSignIn(ctx context.Context, challengeID uuid.UUID, code string) (Auth, error) {
	var auth Auth
	// The session is opened in the transaction that spends the code.
	_, err := s.codes.VerifyThen(ctx, challengeID, otp.PurposeSignInNewDevice, code, func(ctx context.Context, v otp.Verified) error {
		u, err := s.challengeUser(ctx, v)
		if err != nil {
			return err
		}
		d := Device{UserID: u.ID, DeviceKey: v.Metadata["deviceId"], Name: v.Metadata["deviceName"]}
		secret, err := trust(&d)
		if err != nil {
			return err
		}
		auth, err = s.signInOnDevice(ctx, u, d, "sign_in.device_verified")
		auth.DeviceSecret = secret
		return err
	})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}

// challengeUser is the active user a verified challenge was issued for.
func (s *Service) challengeUser(ctx context.Context, v otp.Verified) (User, error) {
	uid, err := uuid.Parse(v.Metadata["userId"])
	if err != nil {
		return User{}, fmt.Errorf("challenge %s has no user: %w", v.ChallengeID, err)
	}
	u, err := s.users.GetByID(ctx, uid)
	if err != nil {
		return User{}, err
	}
	return u, checkActive(u)
}

// signInOnDevice records the device (trusting it, with d's new secret,
// when d.Trusted) and opens a session, in one transaction.
func (s *Service) signInOnDevice(ctx context.Context, u User, d Device, action string) (Auth, error) {
	var auth Auth
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		d.CreatedAt, d.LastSeenAt = now, now
		device, err := s.devices.UpsertDevice(ctx, d)
		if err != nil {
			return err
		}
		auth, err = s.startSession(ctx, u, device)
		if err != nil {
			return err
		}
		s.record(ctx, &u.ID, "SESSION", action, nil, map[string]string{"device": d.DeviceKey})
		return nil
	})
	return auth, err
}

// secretKind is what checkSecret checks: a PIN or a password, each with
// its own counts.
type secretKind struct {
	topic   string // activity topic
	what    string // in the LOCKED message
	bad     error  // a wrong secret's answer
	reserve func(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	reset   func(ctx context.Context, userID, deviceID uuid.UUID) error
	max     int
}

func (s *Service) pinKind() secretKind {
	return secretKind{topic: "PIN", what: "PINs", bad: errBadCredentials, max: s.cfg.PINMaxAttempts,
		reserve: s.pins.ReservePINAttempt, reset: s.pins.ResetPINFailures}
}

func (s *Service) passwordKind() secretKind {
	return secretKind{topic: "PASSWORD", what: "passwords", bad: errBadPassword, max: s.cfg.PasswordMaxAttempts,
		reserve: s.passwords.ReservePasswordAttempt, reset: s.passwords.ResetPasswordFailures}
}

// checkPIN verifies pin for u, counting the try in deviceID's scope
// (uuid.Nil: strangers', the account's). Errors: UNAUTHENTICATED (wrong
// PIN), LOCKED (only in a trusted device's scope).
func (s *Service) checkPIN(ctx context.Context, u User, deviceID uuid.UUID, pin, action string) error {
	return s.checkSecret(ctx, u, s.pinKind(), deviceID, pin, action)
}

// checkPassword is checkPIN for the password.
func (s *Service) checkPassword(ctx context.Context, u User, deviceID uuid.UUID, password, action string) error {
	return s.checkSecret(ctx, u, s.passwordKind(), deviceID, password, action)
}

// checkSecret verifies a PIN or password, counting the try in deviceID's
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
func (s *Service) checkSecret(ctx context.Context, u User, k secretKind, deviceID uuid.UUID, secret, action string) error {
	// From the count to the record, the client's hanging up changes nothing.
	ctx, cancel := detached(ctx)
	defer cancel()
	now := s.clock.Now()
	try, err := k.reserve(ctx, u.ID, deviceID, now, k.max, s.cfg.PINLockFor, s.cfg.PINMaxLock)
	if errors.Is(err, ports.ErrNotFound) {
		s.hasher.Burn(ctx, secret)
		return k.bad
	} else if err != nil {
		return err
	}
	locked := func() error {
		err := lockedErr(k.what, try.LockedUntil, now)
		s.record(ctx, &u.ID, k.topic, action, err, map[string]string{"scope": scopeName(deviceID)})
		if deviceID == uuid.Nil {
			return k.bad
		}
		return err
	}
	if try.Locked {
		// Same work as a check, so a lockout does not show in the timing.
		s.hasher.Burn(ctx, secret)
		return locked()
	}
	ok, err := s.hasher.Verify(ctx, secret, try.Hash)
	if err != nil {
		return err
	}
	if ok {
		return k.reset(ctx, u.ID, deviceID)
	}
	if try.LockedUntil != nil {
		return locked()
	}
	s.record(ctx, &u.ID, k.topic, action, k.bad, map[string]string{"scope": scopeName(deviceID)})
	return k.bad
}

// checkNobody does the work of checkSecret (the device lookup, the
// counting statements, the hash) for an account that does not exist, so
// that an unknown account, a wrong secret and a strangers' lock take the
// same time as well as giving the same answer.
func (s *Service) checkNobody(ctx context.Context, k secretKind, deviceKey, secret string) {
	_, _ = s.devices.GetDevice(ctx, uuid.Nil, deviceKey)
	_, _ = k.reserve(ctx, uuid.Nil, uuid.Nil, s.clock.Now(), k.max, s.cfg.PINLockFor, s.cfg.PINMaxLock)
	s.hasher.Burn(ctx, secret)
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
