package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// MFARequired is SignIn's status when a second factor must be answered.
const MFARequired SignInStatus = "MFA_REQUIRED"

// PasswordSignIn is signIn's input.
type PasswordSignIn struct {
	Username     string // email or phone
	Password     string
	DeviceKey    string
	DeviceSecret string
	DeviceName   string
}

var errBadPassword = ports.Errorf(ports.CodeUnauthenticated, "the username or password is not correct")

// SignIn checks a password. A device that proves its trust signs in at
// once unless configuration or the user's authenticator app asks for a
// second factor; any other device must answer a code first
// (DEVICE_VERIFICATION_REQUIRED). An unknown username and a wrong password
// answer alike and take the same time. Errors: VALIDATION_FAILED,
// UNAUTHENTICATED, LOCKED, ACCESS_RESTRICTED, RATE_LIMITED.
func (s *SignInService) SignIn(ctx context.Context, in PasswordSignIn) (SignInResult, error) {
	// A wrong password counted must be logged whatever the client does.
	ctx, cancel := detached(ctx)
	defer cancel()
	who, userErr := ParseUsername("username", in.Username)
	name, nameErr := cleanName("deviceName", in.DeviceName, 64)
	var pwErr, secretErr error
	if in.Password == "" || len(in.Password) > 4*PasswordMaxLength {
		pwErr = ports.InvalidField("password", "is required")
	}
	if len(in.DeviceSecret) > 128 {
		secretErr = ports.InvalidField("deviceSecret", "is too long")
	}
	if err := ports.MergeInvalid(userErr, nameErr, pwErr, secretErr, ValidateDeviceKey("deviceId", in.DeviceKey)); err != nil {
		return SignInResult{}, err
	}
	if err := s.limit(ctx, "sign_in", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return SignInResult{}, err
	}
	u, err := userByUsername(ctx, s.users, who)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && !u.HasPassword) {
		s.password.checkNobody(ctx, s.devices, in.DeviceKey, in.Password)
		s.record(ctx, nil, "PASSWORD", "sign_in.password", errBadPassword, map[string]string{"reason_detail": "unknown username"})
		return SignInResult{}, errBadPassword
	} else if err != nil {
		return SignInResult{}, err
	}
	// Whether the device proves its trust decides whose count a wrong
	// password goes to (see secretCheck.check), as for PINs.
	device, err := s.devices.GetDevice(ctx, u.ID, in.DeviceKey)
	if err != nil && !errors.Is(err, ports.ErrNotFound) {
		return SignInResult{}, err
	}
	trusted := err == nil && provesTrust(device, in.DeviceSecret)
	scope := uuid.Nil
	if trusted {
		scope = device.ID
	}
	if err := s.password.check(ctx, u, scope, in.Password, "sign_in.password"); err != nil {
		return SignInResult{}, err
	}
	if err := CheckActive(u); err != nil {
		s.record(ctx, &u.ID, "SESSION", "sign_in.password", err, nil)
		return SignInResult{}, err
	}
	return s.secondStep(ctx, u, in.DeviceKey, name, trusted, "sign_in.password")
}

// phoneUnclaimed reports whether no account has proven phone yet (a
// pending phone someone else proved since is no longer worth a code).
func (s *SignInService) phoneUnclaimed(ctx context.Context, phone string) bool {
	_, err := s.users.GetByPhone(ctx, phone)
	return errors.Is(err, ports.ErrNotFound)
}

// userByUsername finds the user an email or phone names.
func userByUsername(ctx context.Context, users Users, who Username) (User, error) {
	if who.Email != "" {
		return users.GetByEmail(ctx, who.Email)
	}
	return users.GetByPhone(ctx, who.Phone)
}

// VerifySignIn answers the second factor of SignIn: a code sent by SMS or
// email, the authenticator app's code, or a recovery code. The device
// becomes trusted and the session is marked as opened with a second
// factor. A code sent to the phone given at sign-up proves that phone.
// Errors: those of otp Verify, ACCESS_RESTRICTED, LOCKED, CONFLICT.
func (s *SignInService) VerifySignIn(ctx context.Context, challengeID uuid.UUID, code string) (Auth, error) {
	var auth Auth
	_, err := s.codes.VerifyWith(ctx, otp.VerifyRequest{ID: challengeID, Purpose: otp.PurposeSignInMFA,
		Code: code, AppCheck: s.mfa.appCheck, Then: func(ctx context.Context, v otp.Verified) error {
			u, err := challengeUser(ctx, s.users, v)
			if err != nil {
				return err
			}
			now := s.clock.Now()
			if v.Channel == otp.ChannelSMS && u.Phone != v.Destination && u.PendingPhone == v.Destination {
				if err := s.changes.SetPhone(ctx, u.ID, v.Destination, now); err != nil {
					return err
				}
				u.Phone, u.PendingPhone = v.Destination, ""
				if u, err = s.emit(ctx, UserPhoneVerified, u); err != nil {
					return err
				}
			}
			d := Device{UserID: u.ID, DeviceKey: v.Metadata["deviceId"], Name: v.Metadata["deviceName"],
				CreatedAt: now, LastSeenAt: now}
			if auth, _, err = s.sessions.trustAndOpen(ctx, u, d, true); err != nil {
				return err
			}
			s.record(ctx, &u.ID, "SESSION", "sign_in.second_factor", nil,
				map[string]string{"device": d.DeviceKey, "channel": string(v.Channel)})
			return nil
		}})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}
