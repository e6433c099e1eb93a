package identity

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// PINService keeps PINs: the first one for an account that has none,
// a change by the signed-in owner, and a new one after the owner proved
// who they are another way (pinreset).
type PINService struct {
	guard
	cfg      Config
	users    Users
	pins     PINs
	pin      secretCheck
	hasher   ports.SecretHasher
	sessions *SessionService
	viewer   *ViewerService
	codes    Codes
	tx       ports.TxRunner
}

// NewPINService returns the PIN service.
func NewPINService(cfg Config, users Users, pins PINs, hasher ports.SecretHasher, sessions *SessionService,
	viewer *ViewerService, codes Codes, tx ports.TxRunner, limiter ports.RateLimiter, activities ports.ActivityLog,
	clock ports.Clock, log *slog.Logger) *PINService {
	g := newGuard(limiter, activities, clock, log)
	return &PINService{guard: g, cfg: cfg, users: users, pins: pins, pin: pinCheck(cfg, pins, hasher, g.recorder),
		hasher: hasher, sessions: sessions, viewer: viewer, codes: codes, tx: tx}
}

// StartPinSetup sends a code to an existing user who has no PIN yet
// (accounts migrated from another system). Errors: VALIDATION_FAILED,
// NOT_FOUND, CONFLICT (a PIN is set), LOCKED, ACCESS_RESTRICTED,
// RATE_LIMITED.
func (s *PINService) StartPinSetup(ctx context.Context, rawPhone string) (otp.ChallengeView, error) {
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
	if err := CheckActive(u); err != nil {
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
func (s *PINService) CompletePinSetup(ctx context.Context, in PinSetup) (Auth, error) {
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
		u, err := challengeUser(ctx, s.users, v)
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
		if auth, _, err = s.sessions.trustAndOpen(ctx, u, d, false); err != nil {
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
func (s *PINService) ChangePin(ctx context.Context, current, newPIN, confirm string) (time.Time, error) {
	v, err := s.viewer.RequireViewer(ctx)
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
	if err := s.pin.check(ctx, v.User, v.DeviceID, current, "pin.change"); err != nil {
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
		// Other devices must prove the phone again: one of them may be the
		// stolen phone the PIN was changed for.
		if _, err := s.sessions.signOutOthers(ctx, v.User.ID, v.SessionID, v.DeviceID, now, "PIN changed"); err != nil {
			return err
		}
		s.record(ctx, &v.User.ID, "PIN", "pin.change", nil, nil)
		return nil
	})
	return now, err
}
