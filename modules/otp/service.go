package otp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Service issues, resends and checks codes.
type Service struct {
	cfg        Config
	store      Store
	tx         ports.TxRunner
	sms        ports.SMSSender
	email      ports.EmailSender
	clock      ports.Clock
	activities ports.ActivityLog
	log        *slog.Logger
}

// NewService returns the OTP service.
func NewService(cfg Config, store Store, tx ports.TxRunner, sms ports.SMSSender,
	email ports.EmailSender, clock ports.Clock, activities ports.ActivityLog, log *slog.Logger) *Service {
	return &Service{cfg: cfg, store: store, tx: tx, sms: sms, email: email, clock: clock,
		activities: activities, log: log}
}

// Config returns the parameters in force (clients show the lifetime).
func (s *Service) Config() Config { return s.cfg }

// Start opens a challenge for r.Purpose and sends its code to r.To by
// r.Channel (SMS unless set). A TOTP challenge sends nothing: its code
// comes from the user's app. A decoy sends nothing either and no code
// answers it, but it is stored and limited like a real one.
// Errors: RATE_LIMITED when the destination had too many codes this hour,
// INTERNAL when the message could not be handed over.
func (s *Service) Start(ctx context.Context, r StartRequest) (ChallengeView, error) {
	if r.Channel == "" {
		r.Channel = ChannelSMS
	}
	now := s.clock.Now()
	c := Challenge{ID: uuid.New(), Purpose: r.Purpose, Channel: r.Channel, Destination: r.To,
		MaxAttempts: s.cfg.MaxAttempts, Metadata: r.Metadata, ExpiresAt: now.Add(s.cfg.TTL),
		ResendAfter: now.Add(s.cfg.ResendAfter), CreatedAt: now, Sends: 1}
	if r.Channel == ChannelTOTP {
		// The code changes every 30 s in the app; the challenge only bounds
		// the tries and the time to answer.
		c.ExpiresAt = now.Add(max(s.cfg.TTL, 5*time.Minute))
	}
	if r.Decoy {
		c.Metadata = map[string]string{MetaDecoy: "true"}
	}
	c.Budget, c.Client = BudgetClient, clientOf(ctx)
	if r.Budget == BudgetOwner {
		c.Budget = BudgetOwner
	}
	code, err := s.arm(&c)
	if err != nil {
		return ChallengeView{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if c.Channel != ChannelTOTP {
			if err := s.checkSendLimit(ctx, c, now); err != nil {
				return err
			}
		}
		return s.store.Create(ctx, c)
	})
	if err != nil {
		return ChallengeView{}, err
	}
	if err := s.deliver(ctx, c, code, r.Background); err != nil {
		return ChallengeView{}, err
	}
	return publicView(c), nil
}

// arm draws a fresh code for c and stores its MAC; a TOTP challenge gets
// none at all. A decoy's code is drawn and MACed the same way but under a
// random key that is then forgotten, so no code matches it and it costs
// what a real one does.
func (s *Service) arm(c *Challenge) (string, error) {
	if c.Channel == ChannelTOTP {
		c.CodeMAC = []byte{}
		return "", nil
	}
	code, err := newCode(s.cfg.Digits)
	if err != nil {
		return "", err
	}
	throwaway := make([]byte, sha256.Size)
	if _, err := rand.Read(throwaway); err != nil {
		return "", err
	}
	if c.Metadata[MetaDecoy] == "true" {
		c.CodeMAC = mac(throwaway, c.ID, code)
		return "", nil
	}
	c.CodeMAC = mac(s.cfg.HMACKey, c.ID, code)
	return code, nil
}

// maxChallengeAge bounds how long one challenge can be kept alive by
// resends; after it the flow starts again.
const maxChallengeAge = time.Hour

// Resend sends a fresh code for an open challenge once its cooldown has
// passed; the old code stops working. Wrong tries stay with the challenge
// (at most MaxAttempts for its whole life). Errors: NOT_FOUND, INVALID_CODE
// (already used), TOO_MANY_ATTEMPTS, CODE_EXPIRED (older than an hour),
// RATE_LIMITED (cooldown or hourly limit).
func (s *Service) Resend(ctx context.Context, id uuid.UUID) (ChallengeView, error) {
	now := s.clock.Now()
	var (
		c    Challenge
		code string
	)
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		c, err = s.store.GetForUpdate(ctx, id)
		if errors.Is(err, ports.ErrNotFound) {
			return ports.Errorf(ports.CodeNotFound, "no such verification challenge")
		} else if err != nil {
			return err
		}
		if c.ConsumedAt != nil {
			return ports.Errorf(ports.CodeInvalidCode, "this challenge has already been used; start again")
		}
		if c.Channel == ChannelTOTP {
			return ports.InvalidField("challengeId", "nothing is sent for this challenge: use the code your authenticator app shows")
		}
		if c.Attempts >= c.MaxAttempts {
			return ports.Errorf(ports.CodeTooManyAttempts, "too many wrong codes; start again")
		}
		if now.Sub(c.CreatedAt) > maxChallengeAge {
			return ports.Errorf(ports.CodeCodeExpired, "this challenge is too old to resend; start again")
		}
		if now.Before(c.ResendAfter) {
			return ports.RateLimited(c.ResendAfter.Sub(now))
		}
		// A resend spends the challenge's budget, charged (for a client's
		// budget) to the client asking now.
		c.Client = clientOf(ctx)
		if err := s.checkSendLimit(ctx, c, now); err != nil {
			return err
		}
		if code, err = s.arm(&c); err != nil {
			return err
		}
		c.ExpiresAt = now.Add(s.cfg.TTL)
		c.ResendAfter = now.Add(s.cfg.ResendAfter)
		return s.store.Rearm(ctx, c, now)
	})
	if err != nil {
		return ChallengeView{}, err
	}
	if err := s.deliver(ctx, c, code, false); err != nil {
		return ChallengeView{}, err
	}
	return publicView(c), nil
}

// checkSendLimit serialises sends to one destination and refuses a code
// beyond c's budget for the hour:
//   - the owner's budget (BudgetOwner): SendsPerHour codes per destination,
//     spent only with a proof of ownership, so strangers cannot touch it;
//   - the strangers' budget (BudgetClient, everything else): SendsPerHour
//     codes per destination for all clients together, however many
//     addresses ask, and ClientSendsPerHour codes in all per client (when
//     set), charged to the client asking.
func (s *Service) checkSendLimit(ctx context.Context, c Challenge, now time.Time) error {
	if err := s.store.LockDestination(ctx, c.Destination); err != nil {
		return err
	}
	since := now.Add(-time.Hour)
	q := SendQuery{Destination: c.Destination, Budget: BudgetOwner, Since: since}
	if c.Budget != BudgetOwner {
		q.Budget = BudgetClient
	}
	if err := s.within(ctx, q, s.cfg.SendsPerHour, now); err != nil {
		return err
	}
	if c.Budget == BudgetOwner || s.cfg.ClientSendsPerHour <= 0 {
		return nil
	}
	// Taken after the destination's lock, always in this order.
	if err := s.store.LockDestination(ctx, "client:"+c.Client); err != nil {
		return err
	}
	return s.within(ctx, SendQuery{Budget: BudgetClient, Client: c.Client, Since: since},
		s.cfg.ClientSendsPerHour, now)
}

// within refuses a send when q already counts limit sends this hour.
func (s *Service) within(ctx context.Context, q SendQuery, limit int, now time.Time) error {
	n, oldest, err := s.store.SendsSince(ctx, q)
	if err != nil {
		return err
	}
	if n >= limit {
		return ports.RateLimited(oldest.Add(time.Hour).Sub(now))
	}
	return nil
}

// clientOf is the key of the client the request came from.
func clientOf(ctx context.Context) string {
	return ports.ClientKey(ports.RequestMetaFrom(ctx).IP)
}

// deliver hands the code to the channel's sender after the challenge
// committed; in the background when asked, so the sender's delay does not
// show in the response time. A TOTP challenge sends nothing. A decoy sends
// nothing either but goes through the same path (goroutine, record), so
// that the work around the answer does not tell it from a real code.
func (s *Service) deliver(ctx context.Context, c Challenge, code string, background bool) error {
	if code == "" && c.Metadata[MetaDecoy] != "true" {
		return nil
	}
	if background {
		ctx := context.WithoutCancel(ctx)
		go func() {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			_ = s.send(ctx, c, code)
		}()
		return nil
	}
	return s.send(ctx, c, code)
}

func (s *Service) send(ctx context.Context, c Challenge, code string) error {
	decoy := code == ""
	if decoy {
		// The message is written as for a real code, then withheld.
		code = strings.Repeat("0", s.cfg.Digits)
	}
	email := ports.Email{To: c.Destination, Subject: emailSubject(s.cfg.AppName), Text: emailText(s.cfg.AppName, code, s.cfg.TTL)}
	text := message(s.cfg.AppName, code, s.cfg.TTL)
	if decoy {
		// A decoy: nothing to send, and a record in place of the send's.
		s.record(ctx, c, "otp.withheld", nil)
		return nil
	}
	var err error
	switch c.Channel {
	case ChannelEmail:
		err = s.email.SendEmail(ctx, email)
	default:
		err = s.sms.SendSMS(ctx, c.Destination, text)
	}
	s.record(ctx, c, "otp.sent", err)
	if err != nil {
		s.log.ErrorContext(ctx, "code delivery failed", "challenge", c.ID, "channel", c.Channel,
			"purpose", c.Purpose, "err", err)
		return &ports.Error{Code: ports.CodeInternal, Message: "the code could not be sent, try again shortly", Cause: err}
	}
	return nil
}

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

// record writes an OTP activity; a failure to write it is logged, not
// returned, because the user-facing outcome is already decided.
func (s *Service) record(ctx context.Context, c Challenge, action string, err error) {
	var userID *uuid.UUID
	if uid, perr := uuid.Parse(c.Metadata["userId"]); perr == nil {
		userID = &uid
	}
	a := ports.NewActivity(ctx, userID, "OTP", action, err, map[string]string{"purpose": string(c.Purpose),
		"channel": string(c.Channel), "challenge": c.ID.String()}, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}
