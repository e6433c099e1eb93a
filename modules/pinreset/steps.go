package pinreset

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Steps are the holder's steps of a reset: start (start.go), verify
// (verify.go), the document (document.go) and the selfie (selfie.go), its
// status (status.go) and its completion (complete.go). The holder is not
// signed in: the ticket is what they hold.
type Steps struct {
	trail
	cfg       Config
	resets    Resets
	users     Users
	documents Documents
	pins      PINs
	codes     Codes
	budgets   Budgets
	selfies   SelfieVerifier
	tx        ports.TxRunner
	clock     ports.Clock
	limiter   ports.RateLimiter
}

// NewSteps returns the holder's steps.
func NewSteps(cfg Config, resets Resets, users Users, documents Documents, pins PINs, codes Codes, budgets Budgets,
	selfies SelfieVerifier, tx ports.TxRunner, clock ports.Clock, limiter ports.RateLimiter,
	activities ports.ActivityLog, log *slog.Logger) *Steps {
	return &Steps{trail: trail{activities: activities, clock: clock, log: log}, cfg: cfg, resets: resets,
		users: users, documents: documents, pins: pins, codes: codes, budgets: budgets, selfies: selfies, tx: tx,
		clock: clock, limiter: limiter}
}

// limit limits an anonymous step per client address.
func (s *Steps) limit(ctx context.Context, action string, perHour int) error {
	ok, retry, err := s.limiter.Allow(ctx, action+":ip:"+ports.ClientKey(ports.RequestMetaFrom(ctx).IP), perHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		err := ports.RateLimited(retry)
		s.record(ctx, nil, action, err, nil)
		return err
	}
	return nil
}

// userLimit limits the uploads of a reset's user.
func (s *Steps) userLimit(ctx context.Context, userID uuid.UUID) error {
	ok, retry, err := s.limiter.Allow(ctx, "pin_reset_upload:user:"+userID.String(), s.cfg.UploadsPerHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		err := ports.RateLimited(retry)
		s.record(ctx, &userID, "pin_reset.upload", err, nil)
		return err
	}
	return nil
}

// byTicket finds the live reset of a ticket. An unknown and an expired
// ticket get the same answer; the ticket itself is never logged.
func (s *Steps) byTicket(ctx context.Context, ticket string) (Reset, error) {
	invalid := ports.Errorf(ports.CodeNotFound, "this reset ticket is not valid")
	if ticket == "" {
		return Reset{}, ports.InvalidField("ticket", "is required")
	}
	hash, ok := ticketHash(ticket)
	if !ok {
		return Reset{}, invalid
	}
	r, err := s.resets.FindByTicket(ctx, hash)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Reset{}, invalid
	} else if err != nil {
		return Reset{}, err
	}
	if !s.clock.Now().Before(r.ExpiresAt) {
		return Reset{}, invalid
	}
	return r, nil
}

// supersede rejects the user's open resets other than keep, inside the
// caller's transaction (a user has at most one open reset: the store
// refuses a second, so this runs before a new one is made).
func (s *Steps) supersede(ctx context.Context, userID, keep uuid.UUID) error {
	now := s.clock.Now()
	open, err := s.resets.OpenOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, r := range open {
		if r.ID == keep {
			continue
		}
		_, err := s.resets.Transition(ctx, r.ID, openStatuses, Change{
			Status: Rejected, Reason: supersededReason, DecidedAt: &now})
		if ports.ErrorCodeOf(err) == ports.CodeConflict {
			continue // closed meanwhile
		} else if err != nil {
			return err
		}
		s.record(ctx, &userID, "pin_reset.superseded", nil,
			map[string]string{"reset": r.ID.String(), "by": keep.String()})
	}
	return nil
}

// ofMember says whether the user is a MEMBER now; a user that cannot be
// read counts as staff.
func (s *Steps) ofMember(ctx context.Context, userID uuid.UUID) bool {
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		if ports.ErrorCodeOf(err) != ports.CodeNotFound {
			s.log.ErrorContext(ctx, "PIN reset: user not read; treated as staff", "user", userID, "err", err)
		}
		return false
	}
	return u.Role == ports.RoleMember
}
