package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// StartPinSetup sends a code to an existing user who has no PIN yet
// (accounts migrated from another system). Errors: VALIDATION_FAILED,
// NOT_FOUND, CONFLICT (a PIN is set), LOCKED, ACCESS_RESTRICTED,
// RATE_LIMITED.
func (s *Service) StartPinSetup(ctx context.Context, rawPhone string) (otp.ChallengeView, error) {
	phone, err := contact.NormalizePhone("phone", rawPhone)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "signup_start", s.cfg.SignupStartsPerHour, time.Hour); err != nil {
		return otp.ChallengeView{}, err
	}
	u, err := s.users.GetByPhone(ctx, phone)
	if errors.Is(err, ports.ErrNotFound) {
		return otp.ChallengeView{}, ports.Errorf(ports.CodeNotFound, "no account uses this phone number; sign up instead")
	} else if err != nil {
		return otp.ChallengeView{}, err
	}
	if u.HasPIN {
		return otp.ChallengeView{}, ports.Errorf(ports.CodeConflict, "a PIN is already set for this account; sign in instead")
	}
	if err := checkActive(u); err != nil {
		return otp.ChallengeView{}, err
	}
	return s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposePinSetup, To: phone,
		Metadata: map[string]string{"userId": u.ID.String()}})
}

// PinSetup is the input that completes a PIN setup.
type PinSetup struct {
	ChallengeID uuid.UUID
	Code        string
	PIN         string
	ConfirmPIN  string
	DeviceKey   string
	DeviceName  string
}

// CompletePinSetup checks the code, sets the first PIN, trusts the device
// and signs in. PIN rules are checked before the code, so a refused PIN
// does not use up the code. Errors: VALIDATION_FAILED, those of otp
// Verify, CONFLICT (a PIN was set meanwhile).
func (s *Service) CompletePinSetup(ctx context.Context, in PinSetup) (Auth, error) {
	name, err := checkNewPINOnDevice(in.PIN, in.ConfirmPIN, in.DeviceKey, in.DeviceName)
	if err != nil {
		return Auth{}, err
	}
	if err := s.limit(ctx, "pin_setup_complete", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return Auth{}, err
	}
	// Refuse a dead challenge, and a PIN that is the end of the phone,
	// before the costly hash and before the code is spent.
	phone, err := s.codes.Destination(ctx, in.ChallengeID, otp.PurposePinSetup)
	if err != nil {
		return Auth{}, err
	}
	if err := ValidatePIN("pin", in.PIN, phone); err != nil {
		return Auth{}, err
	}
	hash, err := s.hasher.Hash(ctx, in.PIN)
	if err != nil {
		return Auth{}, err
	}
	var auth Auth
	// PIN, trusted device and session are written in the transaction that
	// spends the code.
	_, err = s.codes.VerifyThen(ctx, in.ChallengeID, otp.PurposePinSetup, in.Code, func(ctx context.Context, v otp.Verified) error {
		u, err := s.challengeUser(ctx, v)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := s.pins.CreatePIN(ctx, u.ID, hash, now); err != nil {
			if ports.ErrorCodeOf(err) == ports.CodeConflict {
				return ports.Errorf(ports.CodeConflict, "a PIN is already set for this account")
			}
			return err
		}
		u.HasPIN = true
		d := Device{UserID: u.ID, DeviceKey: in.DeviceKey, Name: name, CreatedAt: now, LastSeenAt: now}
		if auth, _, err = s.trustAndOpen(ctx, u, d, false); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "PIN", "pin.setup", nil, map[string]string{"device": in.DeviceKey})
		return nil
	})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}

// ChangePin replaces the viewer's PIN after checking the current one; the
// new PIN obeys the PIN rules and differs from the last ones. Other
// sessions are signed out and other devices lose their trust. Errors: UNAUTHENTICATED, VALIDATION_FAILED,
// LOCKED.
func (s *Service) ChangePin(ctx context.Context, current, newPIN, confirm string) (time.Time, error) {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var confirmErr, sameErr, currentErr error
	if len(current) < PINMinLength || len(current) > PINMaxLength {
		currentErr = ports.InvalidField("currentPin", "must be 4 to 6 digits")
	}
	if confirm != newPIN {
		confirmErr = ports.InvalidField("confirmPin", "does not match the new PIN")
	}
	if current == newPIN {
		sameErr = ports.InvalidField("newPin", "must differ from the current PIN")
	}
	if err := ports.MergeInvalid(ValidatePIN("newPin", newPIN, v.User.Phone), confirmErr, sameErr, currentErr); err != nil {
		return time.Time{}, err
	}
	// Counted on the session's (trusted) device, like its sign-ins: a
	// stranger's wrong PINs elsewhere cannot block the owner's change.
	if err := s.checkPIN(ctx, v.User, v.DeviceID, current, "pin.change"); err != nil {
		if errors.Is(err, errBadCredentials) {
			return time.Time{}, ports.InvalidField("currentPin", "is not correct")
		}
		return time.Time{}, err
	}
	if err := s.pinUnused(ctx, v.User.ID, newPIN, "newPin"); err != nil {
		return time.Time{}, err
	}
	hash, err := s.hasher.Hash(ctx, newPIN)
	if err != nil {
		return time.Time{}, err
	}
	now := s.clock.Now()
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.pins.SetPIN(ctx, v.User.ID, hash, now); err != nil {
			return err
		}
		if _, err := s.sessions.RevokeAllForUser(ctx, v.User.ID, v.SessionID, now, "PIN changed"); err != nil {
			return err
		}
		// Other devices must prove the phone again: one of them may be the
		// stolen phone the PIN was changed for.
		if _, err := s.devices.UntrustDevices(ctx, v.User.ID, v.DeviceID); err != nil {
			return err
		}
		s.record(ctx, &v.User.ID, "PIN", "pin.change", nil, nil)
		return nil
	})
	return now, err
}
