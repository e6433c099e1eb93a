package pinreset

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds the PIN reset.
type Config struct {
	// TTL is how long a ticket works.
	TTL time.Duration
	// StartsPerHour limits startPinReset per client.
	StartsPerHour int
	// UploadsPerHour limits the document and selfie uploads of a reset's
	// user.
	UploadsPerHour int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{TTL: 24 * time.Hour, StartsPerHour: 10, UploadsPerHour: 60}
}

// deps are what the service is built from (NewService's arguments).
type deps struct {
	resets     Resets
	users      Users
	documents  Documents
	pins       PINs
	codes      Codes
	budgets    Budgets
	selfies    SelfieVerifier
	rules      Rules
	callers    ports.CallerSource
	tx         ports.TxRunner
	clock      ports.Clock
	limiter    ports.RateLimiter
	sms        ports.SMSSender
	activities ports.ActivityLog
	// audit keeps the staff audit trail (staff decisions).
	audit ports.AuditTrail
	log   *slog.Logger
}

// Service is the PIN reset's use cases: the holder's steps (start.go,
// verify.go, document.go, selfie.go, status.go, complete.go) and the
// staff review (review.go).
type Service struct {
	cfg Config
	deps
}

// NewService returns the service.
func NewService(cfg Config, resets Resets, users Users, documents Documents, pins PINs, codes Codes, budgets Budgets,
	selfies SelfieVerifier, rules Rules, callers ports.CallerSource, tx ports.TxRunner, clock ports.Clock,
	limiter ports.RateLimiter, sms ports.SMSSender, activities ports.ActivityLog, audit ports.AuditTrail,
	log *slog.Logger) *Service {
	return &Service{cfg: cfg, deps: deps{resets: resets, users: users, documents: documents, pins: pins, codes: codes,
		budgets: budgets, selfies: selfies, rules: rules, callers: callers, tx: tx, clock: clock, limiter: limiter,
		sms: sms, activities: activities, audit: audit, log: log}}
}

// activityModule names the module in the activity rows a reset writes:
// KYC, as before the reset left the kyc module, so the rows and the
// filters on them stay the same.
const activityModule = "KYC"

// record writes an activity; a failure is logged, never returned.
func (s *Service) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, activityModule, action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}

// recordStaff records a staff action twice (see ports.StaffActivities); a
// failure is logged, never returned.
func (s *Service) recordStaff(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) {
	staff, subj := ports.StaffActivities(ctx, c, subject, activityModule, action, err, details, s.clock.Now())
	for _, a := range []ports.Activity{staff, subj} {
		if rerr := s.activities.Record(ctx, a); rerr != nil {
			s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
		}
	}
}

// textUser sends text to the user's phone after a commit; a user without
// a phone is skipped and a failure is only logged (the decision stands).
func (s *Service) textUser(ctx context.Context, userID uuid.UUID, text string) {
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		s.log.ErrorContext(ctx, "PIN reset message not sent: user not read", "user", userID, "err", err)
		return
	}
	if u.Phone == "" {
		return
	}
	if err := s.sms.SendSMS(ctx, u.Phone, text); err != nil {
		s.log.ErrorContext(ctx, "PIN reset message not sent", "user", userID, "err", err)
	}
}

// limit limits an anonymous step per client address.
func (s *Service) limit(ctx context.Context, action string, perHour int) error {
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
func (s *Service) userLimit(ctx context.Context, userID uuid.UUID) error {
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
func (s *Service) byTicket(ctx context.Context, ticket string) (Reset, error) {
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

// transitionError turns a refused transition into a CONFLICT that says
// what the status now is.
func (s *Service) transitionError(ctx context.Context, id uuid.UUID, err error) error {
	if ports.ErrorCodeOf(err) != ports.CodeConflict {
		return err
	}
	r, gerr := s.resets.Get(ctx, id)
	if gerr != nil {
		return err
	}
	return stateError(r.Status)
}

// supersede rejects the user's open resets other than keep, inside the
// caller's transaction (a user has at most one open reset: the store
// refuses a second, so this runs before a new one is made).
func (s *Service) supersede(ctx context.Context, userID, keep uuid.UUID) error {
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
func (s *Service) ofMember(ctx context.Context, userID uuid.UUID) bool {
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		if ports.ErrorCodeOf(err) != ports.CodeNotFound {
			s.log.ErrorContext(ctx, "PIN reset: user not read; treated as staff", "user", userID, "err", err)
		}
		return false
	}
	return u.Role == ports.RoleMember
}
