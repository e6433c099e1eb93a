package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// A step-up is a short-lived mark on a session that its user has just
// answered their authenticator app (VerifyTOTP). A sensitive action
// (deleteMe, the API-key changes) accepts it in place of a code of its own
// and spends it: one verified code still buys one action, as an inline
// code does, so taking the step-up apart from the action (a code screen
// before a confirmation screen) weakens nothing. It stays on the session
// it was taken in: another session, or an API key, has none.

// ReasonProgramNotAllowed refines the FORBIDDEN answer to a program (an
// API key) asking for what only a signed-in session may do.
const ReasonProgramNotAllowed = "PROGRAM_NOT_ALLOWED"

// VerifyTOTP checks the viewer's current authenticator code, with the
// tries and the once-only rule of every other authenticator check, and
// marks the session stepped up until the time returned (Config.StepUpTTL
// from now). Recovery codes are not taken: like CheckTOTP's, what it
// opens is handing out credentials, not getting back in.
// Errors: UNAUTHENTICATED, FORBIDDEN (reason TOTP_REQUIRED: the app is not
// on; PROGRAM_NOT_ALLOWED: an API key calls), VALIDATION_FAILED (code),
// INVALID_CODE (wrong, or a code already used), RATE_LIMITED.
func (s *MFAService) VerifyTOTP(ctx context.Context, code string) (time.Time, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if v.Program != nil || v.SessionID == uuid.Nil {
		return time.Time{}, ports.Refusal(ports.CodeForbidden, ReasonProgramNotAllowed,
			"a step-up belongs to a signed-in session")
	}
	var until time.Time
	err = s.checkTOTP(ctx, v.User.ID, "code", code, func(ctx context.Context) error {
		until = s.clock.Now().Add(s.cfg.StepUpTTL)
		err := s.sessions.StepUp(ctx, v.SessionID, v.User.ID, until)
		if errors.Is(err, ports.ErrNotFound) {
			return ports.Errorf(ports.CodeUnauthenticated, "this session has ended; sign in again")
		}
		return err
	})
	// A malformed code is the client's slip, not a try: only tries are
	// recorded.
	if ports.ErrorCodeOf(err) != ports.CodeValidationFailed {
		s.record(ctx, &v.User.ID, "MFA", "totp.step_up", err, nil)
	}
	if err != nil {
		return time.Time{}, err
	}
	return until, nil
}

// checkTOTP is CheckTOTP with the input's field name, and then run in the
// transaction that spends the code (nil: nothing more).
func (s *MFAService) checkTOTP(ctx context.Context, userID uuid.UUID, field, code string,
	then func(ctx context.Context) error) error {
	if code == "" && then == nil {
		ok, err := s.spendStepUp(ctx, userID)
		if err != nil || ok {
			return err
		}
	}
	if !LooksLikeTOTP(code) {
		if code == "" {
			return ports.InvalidField(field, "is required: the 6 digits the app shows, or verifyTotp first")
		}
		return ports.InvalidField(field, "must be the 6 digits the app shows")
	}
	cred, err := s.totps.GetTOTP(ctx, userID)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && cred.ConfirmedAt == nil) {
		return ports.Refusal(ports.CodeForbidden, ReasonTOTPRequired, "turn the authenticator app on first")
	} else if err != nil {
		return err
	}
	if err := s.totpTry(ctx, userID); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		cred, err := s.totps.GetTOTP(ctx, userID)
		if err != nil {
			return err
		}
		step, ok, err := s.matchTOTP(userID, cred, code)
		if err != nil {
			return err
		}
		if !ok {
			return errBadTOTP
		}
		used, err := s.totps.UseTOTPStep(ctx, userID, step)
		if err != nil {
			return err
		}
		if !used {
			return errBadTOTP
		}
		if then != nil {
			return then(ctx)
		}
		return nil
	})
}

// spendStepUp spends a step-up (VerifyTOTP) of the request's session
// when the caller is userID in their own session and the app is still on,
// and reports whether it did. The session is read from the database, not
// the session cache: a step-up taken through one instance holds on every
// other at once, and is spent once among them all.
func (s *MFAService) spendStepUp(ctx context.Context, userID uuid.UUID) (bool, error) {
	v, err := s.viewer.Viewer(ctx)
	if err != nil || v == nil || v.User.ID != userID || v.Program != nil || v.SessionID == uuid.Nil {
		return false, nil
	}
	cred, err := s.totps.GetTOTP(ctx, userID)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && cred.ConfirmedAt == nil) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	spent, err := s.sessions.SpendStepUp(ctx, v.SessionID, userID, s.clock.Now())
	if err == nil && spent {
		s.record(ctx, &userID, "MFA", "totp.step_up_spent", nil, nil)
	}
	return spent, err
}
