package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// SignInService signs people in: with a PIN (phone-first clients) or a
// password, on a device that proves its trust or with a code that makes
// it trusted, and with the second factor a password sign-in may need.
type SignInService struct {
	guard
	events
	cfg      Config
	users    Users
	changes  UserChanges
	devices  DeviceLookup
	pin      secretCheck
	password secretCheck
	hasher   ports.SecretHasher
	sessions *SessionService
	mfa      *MFAService
	codes    Codes
}

// NewSignInService returns the sign-in service; hooks hear of a phone a
// second factor proved.
func NewSignInService(cfg Config, users Users, changes UserChanges, devices DeviceLookup, pins PINs, passwords Passwords,
	hasher ports.SecretHasher, sessions *SessionService, mfa *MFAService, codes Codes, hooks []UserHook,
	limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) *SignInService {
	g := newGuard(limiter, activities, clock, log)
	return &SignInService{guard: g, events: events{hooks: hooks, users: users}, cfg: cfg, users: users,
		changes: changes, devices: devices, pin: pinCheck(cfg, pins, hasher, g.recorder),
		password: passwordCheck(cfg, passwords, hasher, g.recorder), hasher: hasher, sessions: sessions, mfa: mfa,
		codes: codes}
}

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
func (s *SignInService) SignInWithPIN(ctx context.Context, in PINSignIn) (SignInResult, error) {
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
		s.pin.checkNobody(ctx, s.devices, in.DeviceKey, in.PIN)
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
	if err := s.pin.check(ctx, u, scope, in.PIN, "sign_in.pin"); err != nil {
		return SignInResult{}, err
	}
	if err := CheckActive(u); err != nil {
		s.record(ctx, &u.ID, "SESSION", "sign_in.pin", err, nil)
		return SignInResult{}, err
	}
	if trusted {
		auth, err := s.sessions.signInOnDevice(ctx, u, Device{UserID: u.ID, DeviceKey: in.DeviceKey, Name: name}, "sign_in.pin")
		if err != nil {
			return SignInResult{}, err
		}
		return SignInResult{Status: SignedIn, Auth: &auth}, nil
	}
	// The PIN was right: the code spends the owner's budget, which
	// strangers' codes cannot touch.
	ch, err := s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposeSignInNewDevice, To: u.Phone, Budget: otp.BudgetOwner, Locale: u.Locale,
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
func (s *SignInService) VerifyDeviceSignIn(ctx context.Context, challengeID uuid.UUID, code string) (Auth, error) {
	var auth Auth
	// The session is opened in the transaction that spends the code.
	_, err := s.codes.VerifyThen(ctx, challengeID, otp.PurposeSignInNewDevice, code, func(ctx context.Context, v otp.Verified) error {
		u, err := challengeUser(ctx, s.users, v)
		if err != nil {
			return err
		}
		d := Device{UserID: u.ID, DeviceKey: v.Metadata["deviceId"], Name: v.Metadata["deviceName"]}
		secret, err := trust(&d)
		if err != nil {
			return err
		}
		auth, err = s.sessions.signInOnDevice(ctx, u, d, "sign_in.device_verified")
		auth.DeviceSecret = secret
		return err
	})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}

// challengeUser is the active user a verified challenge was issued for.
func challengeUser(ctx context.Context, users Users, v otp.Verified) (User, error) {
	uid, err := uuid.Parse(v.Metadata["userId"])
	if err != nil {
		return User{}, fmt.Errorf("challenge %s has no user: %w", v.ChallengeID, err)
	}
	u, err := users.GetByID(ctx, uid)
	if err != nil {
		return User{}, err
	}
	return u, CheckActive(u)
}
