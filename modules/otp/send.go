package otp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/ports"
)

// Start opens a challenge for r.Purpose and sends its code to r.To by
// r.Channel (SMS unless set). A TOTP challenge sends nothing: its code
// comes from the user's app. A decoy sends nothing either and no code
// answers it, but it is stored and limited like a real one.
// The code goes to the outbox in the transaction that stores the
// challenge and is sent after the answer (its delivery status is read
// back by Ref). Errors: RATE_LIMITED when the destination had too many
// codes this hour.
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
		if err := s.store.Create(ctx, c); err != nil {
			return err
		}
		return s.enqueue(ctx, c, code, r.Locale)
	})
	if err != nil {
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
		if err := s.store.Rearm(ctx, c, now); err != nil {
			return err
		}
		return s.enqueue(ctx, c, code, "")
	})
	if err != nil {
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

// Ref is what the delivery of challenge id's code is filed under: its
// delivery status is read back with it (Deliveries.Latest).
func Ref(id uuid.UUID) string { return "otp:" + id.String() }

// enqueue hands the code to the outbox inside the transaction that stores
// the challenge, so that it is sent if and only if the challenge commits;
// the workers send it after the answer. A TOTP challenge sends nothing. A
// decoy is queued like a real code and withheld by the worker, so that the
// work around the answer does not tell it from a real one.
func (s *Service) enqueue(ctx context.Context, c Challenge, code, locale string) error {
	decoy := c.Metadata[MetaDecoy] == "true"
	if code == "" && !decoy {
		return nil
	}
	if decoy {
		code = strings.Repeat("0", s.cfg.Digits)
	}
	if locale == "" {
		locale = ports.RequestMetaFrom(ctx).Locale
	}
	m := ports.Message{Channel: ports.ChannelSMS, To: c.Destination, Template: messages.OTPCode, Locale: locale,
		Data: map[string]string{"minutes": strconv.Itoa(int((s.cfg.TTL + time.Minute - 1) / time.Minute))},
		Code: code, Ref: Ref(c.ID), NotAfter: c.ExpiresAt, Withhold: decoy}
	if c.Channel == ChannelEmail {
		m.Channel = ports.ChannelEmail
	}
	if err := s.outbox.Enqueue(ctx, m); err != nil {
		return err
	}
	action := "otp.queued"
	if decoy {
		action = "otp.withheld"
	}
	s.record(ctx, c, action, nil)
	return nil
}

// Challenge reads back an open challenge as its client may see it, to
// poll the delivery of its code. NOT_FOUND when unknown, already used, or
// older than an hour (it can no longer be resent).
func (s *Service) Challenge(ctx context.Context, id uuid.UUID) (ChallengeView, error) {
	c, err := s.store.Get(ctx, id)
	switch {
	case errors.Is(err, ports.ErrNotFound):
	case err != nil:
		return ChallengeView{}, err
	case c.ConsumedAt == nil && s.clock.Now().Sub(c.CreatedAt) <= maxChallengeAge:
		return publicView(c), nil
	}
	return ChallengeView{}, ports.Errorf(ports.CodeNotFound, "no such verification challenge")
}
