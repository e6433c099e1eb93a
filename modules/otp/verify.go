package otp

import (
	"context"
	"crypto/hmac"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Verify checks code against challenge id for purpose and consumes the
// challenge on success: of any number of concurrent right answers exactly
// one wins. It commits on its own (wrong tries must be counted even when
// the caller's work fails), so call it outside a transaction.
// Errors: NOT_FOUND, VALIDATION_FAILED (not a code), INVALID_CODE (wrong or
// already used), CODE_EXPIRED, TOO_MANY_ATTEMPTS.
func (s *Service) Verify(ctx context.Context, id uuid.UUID, purpose Purpose, code string) (Verified, error) {
	return s.VerifyWith(ctx, VerifyRequest{ID: id, Purpose: purpose, Code: code})
}

// VerifyThen is Verify that runs then, on a right code, in the
// transaction that consumes the challenge; then's error undoes both. Like
// Verify it must be called outside a transaction: inside one, wrong-code
// counts would roll back with the caller's failure.
func (s *Service) VerifyThen(ctx context.Context, id uuid.UUID, purpose Purpose, code string,
	then func(ctx context.Context, v Verified) error) (Verified, error) {
	return s.VerifyWith(ctx, VerifyRequest{ID: id, Purpose: purpose, Code: code, Then: then})
}

// maxAppCodeLength bounds what is passed to an AppCheck (a TOTP code or a
// recovery code).
const maxAppCodeLength = 64

// VerifyWith is Verify and VerifyThen in one, and also answers TOTP
// challenges through r.AppCheck.
func (s *Service) VerifyWith(ctx context.Context, r VerifyRequest) (Verified, error) {
	digits := wellFormed(r.Code, s.cfg.Digits)
	if !digits && (r.AppCheck == nil || r.Code == "" || len(r.Code) > maxAppCodeLength) {
		return Verified{}, ports.InvalidField("code", "must be the digits we sent")
	}
	now := s.clock.Now()
	var (
		c       Challenge
		outcome error
	)
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		c, err = s.store.GetForUpdate(ctx, r.ID)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && c.Purpose != r.Purpose) {
			outcome = ports.Errorf(ports.CodeNotFound, "no such verification challenge")
			return nil
		} else if err != nil {
			return err
		}
		if outcome = closed(c, now); outcome != nil {
			return nil
		}
		var right bool
		switch {
		case c.Channel == ChannelTOTP:
			if r.AppCheck == nil {
				outcome = ports.Errorf(ports.CodeNotFound, "no such verification challenge")
				return nil
			}
			right, err = r.AppCheck(ctx, verified(c), r.Code)
			if ports.ErrorCodeOf(err) == ports.CodeValidationFailed {
				outcome = err
				return nil
			} else if err != nil {
				return err
			}
		case !digits:
			outcome = ports.InvalidField("code", "must be the digits we sent")
			return nil
		default:
			right = hmac.Equal(mac(s.cfg.HMACKey, c.ID, r.Code), c.CodeMAC)
		}
		if !right {
			c.Attempts++
			if c.Attempts >= c.MaxAttempts {
				outcome = ports.Errorf(ports.CodeTooManyAttempts, "too many wrong codes; request a new code")
			} else {
				outcome = ports.Errorf(ports.CodeInvalidCode, "the code is not correct")
			}
			return s.store.SetAttempts(ctx, c.ID, c.Attempts)
		}
		ok, err := s.store.MarkConsumed(ctx, c.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			outcome = ports.Errorf(ports.CodeInvalidCode, "this code has already been used")
		} else if r.Then != nil {
			return r.Then(ctx, verified(c))
		}
		return nil
	})
	if err != nil {
		return Verified{}, err
	}
	if outcome != nil {
		if code := ports.ErrorCodeOf(outcome); code != ports.CodeNotFound && code != ports.CodeValidationFailed {
			s.record(ctx, c, "otp.verify", outcome)
		}
		return Verified{}, outcome
	}
	s.record(ctx, c, "otp.verify", nil)
	return verified(c), nil
}

func verified(c Challenge) Verified {
	return Verified{ChallengeID: c.ID, Purpose: c.Purpose, Channel: c.Channel,
		Destination: c.Destination, Metadata: c.Metadata}
}

// Destination returns the phone or email an open challenge was sent to, so callers
// can refuse bad input before costly work. A challenge that can no longer
// be answered is refused as Verify would refuse it. Errors: NOT_FOUND,
// INVALID_CODE (used), TOO_MANY_ATTEMPTS, CODE_EXPIRED.
func (s *Service) Destination(ctx context.Context, id uuid.UUID, purpose Purpose) (string, error) {
	var c Challenge
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		c, err = s.store.GetForUpdate(ctx, id)
		return err
	})
	if errors.Is(err, ports.ErrNotFound) || (err == nil && c.Purpose != purpose) {
		return "", ports.Errorf(ports.CodeNotFound, "no such verification challenge")
	} else if err != nil {
		return "", err
	}
	if err := closed(c, s.clock.Now()); err != nil {
		return "", err
	}
	return c.Destination, nil
}

// closed says why a challenge can no longer be answered, nil when open.
func closed(c Challenge, now time.Time) error {
	switch {
	case c.ConsumedAt != nil:
		return ports.Errorf(ports.CodeInvalidCode, "this code has already been used")
	case c.Attempts >= c.MaxAttempts:
		return ports.Errorf(ports.CodeTooManyAttempts, "too many wrong codes; request a new code")
	case !now.Before(c.ExpiresAt):
		return ports.Errorf(ports.CodeCodeExpired, "the code has expired; request a new one")
	}
	return nil
}
