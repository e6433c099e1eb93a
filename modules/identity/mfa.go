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

// MFAService keeps the authenticator app (TOTP) and its recovery codes:
// turning them on and off, and checking their codes for a sign-in.
type MFAService struct {
	guard
	cfg   Config
	totps TOTPs
	// box seals TOTP secrets at rest.
	box    ports.SecretBox
	viewer *ViewerService
	tx     ports.TxRunner
	// sessions keep the step-ups (VerifyTOTP).
	sessions Sessions
}

// NewMFAService returns the MFA service.
func NewMFAService(cfg Config, totps TOTPs, sessions Sessions, box ports.SecretBox, viewer *ViewerService,
	tx ports.TxRunner, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *MFAService {
	return &MFAService{guard: newGuard(limiter, activities, clock, log), cfg: cfg, totps: totps, box: box,
		viewer: viewer, tx: tx, sessions: sessions}
}

// recoveryCodeCount is how many recovery codes an enrollment hands out.
const recoveryCodeCount = 10

// StartTOTPEnrollment draws a new authenticator secret for the viewer and
// keeps it, sealed, until ConfirmTOTPEnrollment proves the app has it.
// Errors: UNAUTHENTICATED, CONFLICT (already on).
func (s *MFAService) StartTOTPEnrollment(ctx context.Context) (TOTPEnrollment, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return TOTPEnrollment{}, err
	}
	if v.User.TOTPEnabled {
		return TOTPEnrollment{}, ports.Errorf(ports.CodeConflict, "the authenticator app is already on; turn it off first")
	}
	account := v.User.Email
	if account == "" {
		account = v.User.Phone
	}
	if account == "" {
		account = v.User.ID.String()
	}
	e, err := NewTOTPEnrollment(s.cfg.Issuer, account)
	if err != nil {
		return TOTPEnrollment{}, err
	}
	sealed, err := s.box.Seal([]byte(e.Secret), v.User.ID[:])
	if err != nil {
		return TOTPEnrollment{}, err
	}
	if err := s.totps.PutPendingTOTP(ctx, v.User.ID, sealed, s.clock.Now()); err != nil {
		if ports.ErrorCodeOf(err) == ports.CodeConflict {
			return TOTPEnrollment{}, ports.Errorf(ports.CodeConflict, "the authenticator app is already on; turn it off first")
		}
		return TOTPEnrollment{}, err
	}
	s.record(ctx, &v.User.ID, "MFA", "totp.enrollment_started", nil, nil)
	return e, nil
}

// ConfirmTOTPEnrollment turns the authenticator on with its first code and
// returns the recovery codes, shown this once (only digests are kept).
// Errors: UNAUTHENTICATED, NOT_FOUND (no enrollment started),
// VALIDATION_FAILED, INVALID_CODE, RATE_LIMITED.
func (s *MFAService) ConfirmTOTPEnrollment(ctx context.Context, code string) ([]string, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	if !LooksLikeTOTP(code) {
		return nil, ports.InvalidField("code", "must be the 6 digits the app shows")
	}
	if err := s.totpTry(ctx, v.User.ID); err != nil {
		return nil, err
	}
	codes, digests, err := NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		return nil, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		cred, err := s.totps.GetTOTP(ctx, v.User.ID)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && cred.ConfirmedAt != nil) {
			return ports.Errorf(ports.CodeNotFound, "no authenticator enrollment is waiting; start one first")
		} else if err != nil {
			return err
		}
		step, ok, err := s.matchTOTP(v.User.ID, cred, code)
		if err != nil {
			return err
		}
		if !ok {
			return errBadTOTP
		}
		return s.totps.ConfirmTOTP(ctx, v.User.ID, step, digests, s.clock.Now())
	})
	if err != nil {
		s.record(ctx, &v.User.ID, "MFA", "totp.enable", err, nil)
		return nil, err
	}
	s.record(ctx, &v.User.ID, "MFA", "totp.enable", nil, nil)
	return codes, nil
}

// DisableTOTP turns the authenticator off with its current code or a
// recovery code. Errors: UNAUTHENTICATED, NOT_FOUND (not on),
// VALIDATION_FAILED, INVALID_CODE, RATE_LIMITED.
func (s *MFAService) DisableTOTP(ctx context.Context, code string) (User, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return User{}, err
	}
	if !v.User.TOTPEnabled {
		return User{}, ports.Errorf(ports.CodeNotFound, "the authenticator app is not on")
	}
	if len(code) > 64 {
		return User{}, ports.InvalidField("code", "is not a code")
	}
	if err := s.totpTry(ctx, v.User.ID); err != nil {
		return User{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.checkSecondFactor(ctx, v.User.ID, code)
		if err != nil {
			return err
		}
		if !ok {
			return errBadTOTP
		}
		return s.totps.DeleteTOTP(ctx, v.User.ID)
	})
	if err != nil {
		s.record(ctx, &v.User.ID, "MFA", "totp.disable", err, nil)
		return User{}, err
	}
	s.record(ctx, &v.User.ID, "MFA", "totp.disable", nil, nil)
	v.User.TOTPEnabled = false
	return v.User, nil
}

var errBadTOTP = ports.Errorf(ports.CodeInvalidCode, "the code is not correct")

// matchTOTP opens the user's sealed secret and checks code against it
// (see MatchTOTP: a step already used does not match).
func (s *MFAService) matchTOTP(userID uuid.UUID, cred TOTPCredential, code string) (int64, bool, error) {
	secret, err := s.box.Open(cred.SealedSecret, userID[:])
	if err != nil {
		return 0, false, err
	}
	step, ok := MatchTOTP(string(secret), code, s.clock.Now(), cred.LastStep)
	return step, ok, nil
}

// totpTry counts one try at an authenticator or recovery code against
// the user's limit, before the code is checked, so guesses are bounded
// whatever their outcome.
func (s *MFAService) totpTry(ctx context.Context, userID uuid.UUID) error {
	ok, retry, err := s.limiter.Allow(ctx, "totp:user:"+userID.String(), s.cfg.TOTPTriesPer15Min, 15*time.Minute)
	if err != nil {
		return err
	}
	if !ok {
		return ports.RateLimited(retry)
	}
	return nil
}

// checkSecondFactor accepts the user's current authenticator code (once)
// or one unused recovery code (spending it). Call inside a transaction.
func (s *MFAService) checkSecondFactor(ctx context.Context, userID uuid.UUID, code string) (bool, error) {
	if LooksLikeTOTP(code) {
		cred, err := s.totps.GetTOTP(ctx, userID)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && cred.ConfirmedAt == nil) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		step, ok, err := s.matchTOTP(userID, cred, code)
		if err != nil || !ok {
			return false, err
		}
		return s.totps.UseTOTPStep(ctx, userID, step)
	}
	norm, ok := NormalizeRecoveryCode(code)
	if !ok {
		return false, ports.InvalidField("code", "must be the app's 6 digits or a recovery code")
	}
	used, err := s.totps.UseRecoveryCode(ctx, userID, RecoveryDigest(norm), s.clock.Now())
	if err == nil && used {
		s.record(ctx, &userID, "MFA", "recovery_code.used", nil, nil)
	}
	return used, err
}

// appCheck answers TOTP sign-in challenges for the OTP module.
func (s *MFAService) appCheck(ctx context.Context, v otp.Verified, code string) (bool, error) {
	uid, err := uuid.Parse(v.Metadata["userId"])
	if err != nil {
		return false, err
	}
	// The challenge bounds its own tries; this bounds them across the
	// challenges a known password can open.
	if err := s.totpTry(ctx, uid); err != nil {
		return false, err
	}
	return s.checkSecondFactor(ctx, uid, code)
}

// ReasonTOTPRequired refines the FORBIDDEN answer to an action that needs
// the authenticator app when the user has not turned it on.
const ReasonTOTPRequired = "TOTP_REQUIRED"

// CheckTOTP accepts userID's current authenticator code, once (a code's
// step is spent), for another module's action that the app guards
// (creating an API key). Recovery codes are not taken: they are for
// getting back in, not for handing out new credentials. An empty code
// takes instead a step-up (VerifyTOTP) of the request's own session that
// has not ended, when that session is userID's and the app is still on,
// and spends it.
// Errors: FORBIDDEN reason TOTP_REQUIRED (the app is not on),
// VALIDATION_FAILED, INVALID_CODE, RATE_LIMITED.
func (s *MFAService) CheckTOTP(ctx context.Context, userID uuid.UUID, code string) error {
	return s.checkTOTP(ctx, userID, "totpCode", code, nil)
}
