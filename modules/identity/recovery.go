package identity

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// PasswordService keeps passwords: a reset by a code sent to the
// account's email or phone, a change by the signed-in owner, and the
// strength rating clients show while one is typed.
type PasswordService struct {
	guard
	cfg       Config
	users     Users
	devices   DeviceLookup
	passwords Passwords
	password  secretCheck
	hasher    ports.SecretHasher
	sessions  *SessionService
	viewer    *ViewerService
	codes     Codes
	tx        ports.TxRunner
}

// NewPasswordService returns the password service.
func NewPasswordService(cfg Config, users Users, devices DeviceLookup, passwords Passwords, hasher ports.SecretHasher,
	sessions *SessionService, viewer *ViewerService, codes Codes, tx ports.TxRunner, limiter ports.RateLimiter,
	activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) *PasswordService {
	g := newGuard(limiter, activities, clock, log)
	return &PasswordService{guard: g, cfg: cfg, users: users, devices: devices, passwords: passwords,
		password: passwordCheck(cfg, passwords, hasher, g.recorder), hasher: hasher, sessions: sessions,
		viewer: viewer, codes: codes, tx: tx}
}

// RequestPasswordReset sends a code to the account's email or phone. The
// answer is the same whether or not the account exists: an unknown
// username gets a decoy challenge that looks, is stored and is limited
// exactly like a real one, and delivery happens after the answer either
// way, so neither content nor timing tells. The code spends the client's
// budget, or the owner's when device proves a device the account trusts
// (so strangers cannot block the owner's reset). Errors: VALIDATION_FAILED,
// RATE_LIMITED.
func (s *PasswordService) RequestPasswordReset(ctx context.Context, username string, device DeviceProof) (otp.ChallengeView, error) {
	who, err := ParseUsername("username", username)
	if err := ports.MergeInvalid(err, device.Check()); err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "password_reset", s.cfg.PasswordResetsPerHour, time.Hour); err != nil {
		return otp.ChallengeView{}, err
	}
	req := otp.StartRequest{Purpose: otp.PurposePasswordReset, Channel: otp.ChannelSMS, To: who.Phone}
	if who.Email != "" {
		req.Channel, req.To = otp.ChannelEmail, who.Email
	}
	u, err := userByUsername(ctx, s.users, who)
	owner := uuid.Nil
	switch {
	case err == nil && u.State == StateActive:
		req.Metadata = map[string]string{"userId": u.ID.String()}
		req.Locale = u.Locale
		owner = u.ID
	case err == nil || errors.Is(err, ports.ErrNotFound):
		req.Decoy = true
	default:
		return otp.ChallengeView{}, err
	}
	if req.Budget, err = BudgetFor(ctx, s.devices, owner, device); err != nil {
		return otp.ChallengeView{}, err
	}
	ch, err := s.codes.Start(ctx, req)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	// Recorded either way (a decoy's names no user), so that an existing
	// and a missing account do the same work before the answer.
	var uid *uuid.UUID
	if !req.Decoy {
		uid = &u.ID
	}
	s.record(ctx, uid, "PASSWORD", "password.reset_requested", nil, map[string]string{"channel": string(req.Channel)})
	return ch, nil
}

// PasswordChange is what a password change or reset did.
type PasswordChange struct {
	ChangedAt       time.Time
	SessionsRevoked int
}

// ResetPassword sets a new password with the code from
// RequestPasswordReset; every session ends and every device loses its
// trust. Errors: VALIDATION_FAILED, those of otp Verify.
func (s *PasswordService) ResetPassword(ctx context.Context, challengeID uuid.UUID, code, newPassword, confirm string) (PasswordChange, error) {
	if err := s.limit(ctx, "password_reset_complete", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return PasswordChange{}, err
	}
	// A dead challenge is refused before the costly scoring and hash; the
	// password is scored once, with the address it must not contain.
	dest, err := s.codes.Destination(ctx, challengeID, otp.PurposePasswordReset)
	if err != nil {
		return PasswordChange{}, err
	}
	if err := ports.MergeInvalid(ValidatePassword("newPassword", newPassword, dest), confirmMatch(confirm, newPassword)); err != nil {
		return PasswordChange{}, err
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return PasswordChange{}, err
	}
	var out PasswordChange
	_, err = s.codes.VerifyThen(ctx, challengeID, otp.PurposePasswordReset, code, func(ctx context.Context, v otp.Verified) error {
		u, err := challengeUser(ctx, s.users, v)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := s.passwords.SetPassword(ctx, u.ID, hash, now); err != nil {
			return err
		}
		n, err := s.sessions.signOutOthers(ctx, u.ID, uuid.Nil, uuid.Nil, now, "password reset")
		if err != nil {
			return err
		}
		out = PasswordChange{ChangedAt: now, SessionsRevoked: n}
		s.record(ctx, &u.ID, "PASSWORD", "password.reset", nil, map[string]string{"sessions": itoa(n)})
		return nil
	})
	if err != nil {
		return PasswordChange{}, err
	}
	return out, nil
}

// ChangePassword replaces the viewer's password after checking the
// current one (wrong ones count toward the lockout); the other sessions
// end and the other devices lose their trust. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED, LOCKED.
func (s *PasswordService) ChangePassword(ctx context.Context, current, newPassword, confirm string) (PasswordChange, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return PasswordChange{}, err
	}
	var currentErr, sameErr error
	if current == "" || len(current) > 4*PasswordMaxLength {
		currentErr = ports.InvalidField("currentPassword", "is required")
	}
	if current == newPassword {
		sameErr = ports.InvalidField("newPassword", "must differ from the current password")
	}
	if err := ports.MergeInvalid(currentErr, sameErr, confirmMatch(confirm, newPassword),
		ValidatePassword("newPassword", newPassword, v.User.Email, v.User.Phone, v.User.Name)); err != nil {
		return PasswordChange{}, err
	}
	if err := s.password.check(ctx, v.User, v.DeviceID, current, "password.change"); err != nil {
		return PasswordChange{}, err
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return PasswordChange{}, err
	}
	var out PasswordChange
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		if err := s.passwords.SetPassword(ctx, v.User.ID, hash, now); err != nil {
			return err
		}
		n, err := s.sessions.signOutOthers(ctx, v.User.ID, v.SessionID, v.DeviceID, now, "password changed")
		if err != nil {
			return err
		}
		out = PasswordChange{ChangedAt: now, SessionsRevoked: n}
		s.record(ctx, &v.User.ID, "PASSWORD", "password.change", nil, map[string]string{"sessions": itoa(n)})
		return nil
	})
	return out, err
}

// PasswordStrength rates a password by the rule every password must pass.
// The signed-in user's email, phone and name count against it.
// Errors: VALIDATION_FAILED, RATE_LIMITED.
func (s *PasswordService) PasswordStrength(ctx context.Context, password string) (PasswordStrength, error) {
	if len(password) > 4096 {
		return PasswordStrength{}, ports.InvalidField("password", "is far too long")
	}
	// Scoring costs tens of milliseconds: bounded per client.
	if err := s.limit(ctx, "password_strength", 2*s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return PasswordStrength{}, err
	}
	var inputs []string
	if v, _ := s.viewer.Viewer(ctx); v != nil {
		inputs = []string{v.User.Email, v.User.Phone, v.User.Name}
	}
	return RatePassword(password, inputs...), nil
}

// confirmMatch refuses a confirmation that differs from the new password.
func confirmMatch(confirm, password string) error {
	if confirm != password {
		return ports.InvalidField("confirmPassword", "does not match the new password")
	}
	return nil
}
