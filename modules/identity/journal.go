package identity

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// recorder writes the activity rows every use case leaves; the services
// embed it, so each reads s.record and s.clock.
type recorder struct {
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

// record appends an activity; failures are logged, not returned, because
// the outcome for the user is decided already. Inside a transaction the
// row commits with it.
func (s recorder) record(ctx context.Context, userID *uuid.UUID, topic, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, topic, action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}

// guard is a recorder that also rate-limits clients, for the services
// whose operations a client may call anonymously or in bulk.
type guard struct {
	recorder
	limiter ports.RateLimiter
}

func newGuard(limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) guard {
	return guard{recorder: recorder{activities: activities, clock: clock, log: log}, limiter: limiter}
}

// limit applies a per-client rate limit; a refusal is recorded.
func (s guard) limit(ctx context.Context, action string, perWindow int, window time.Duration) error {
	ok, retry, err := s.limiter.Allow(ctx, action+":ip:"+ports.ClientKey(ports.RequestMetaFrom(ctx).IP), perWindow, window)
	if err != nil {
		return err
	}
	if !ok {
		err := ports.RateLimited(retry)
		s.record(ctx, nil, "RATE_LIMIT", action, err, nil)
		return err
	}
	return nil
}

// events tells the other modules (KYC labels and levels, accounts) what
// happened to a user, through the hooks they registered.
type events struct {
	hooks []UserHook
	users Users
}

// emit tells the hooks what happened to u. Call it inside the transaction
// that made the change: a hook's error rolls the change back. It returns
// u as the hooks left it (a hook may have changed the level).
func (s events) emit(ctx context.Context, kind UserEventKind, u User) (User, error) {
	if len(s.hooks) == 0 {
		return u, nil
	}
	for _, h := range s.hooks {
		if err := h.OnUserEvent(ctx, UserEvent{Kind: kind, User: u}); err != nil {
			return u, err
		}
	}
	fresh, err := s.users.GetByID(ctx, u.ID)
	if err != nil {
		return u, err
	}
	return fresh, nil
}
