package apikeys

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds the API keys.
type Config struct {
	// MaxKeysPerUser caps the keys one user holds.
	MaxKeysPerUser int
	// NonceWindow is how far a nonce's instant may be from the server's
	// clock, either way; a nonce is remembered twice this long past its
	// instant (see Authenticator.Authenticate).
	NonceWindow time.Duration
	// BadSignaturesPer15Min is how many wrong signatures a key takes in a
	// quarter of an hour before the next ones are answered RATE_LIMITED.
	BadSignaturesPer15Min int
}

// MaxNonceWindow is the widest NonceWindow allowed; the janitor keeps
// spent nonces this long past their expiry, whatever the window, so that
// no instance whose clock is behind the janitor's can take one again.
const MaxNonceWindow = 10 * time.Minute

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MaxKeysPerUser: 10, NonceWindow: 30 * time.Second, BadSignaturesPer15Min: 20}
}

// Validate reports the settings that cannot work, all at once.
func (c Config) Validate() error {
	var errs []string
	if c.MaxKeysPerUser < 1 || c.MaxKeysPerUser > 1000 {
		errs = append(errs, "MaxKeysPerUser must be within 1..1000")
	}
	if c.NonceWindow < time.Second || c.NonceWindow > MaxNonceWindow {
		errs = append(errs, "NonceWindow must be within 1s..10m")
	}
	if c.BadSignaturesPer15Min < 1 {
		errs = append(errs, "BadSignaturesPer15Min must be at least 1")
	}
	if len(errs) > 0 {
		return fmt.Errorf("apikeys: %v", errs)
	}
	return nil
}

// Services are the API keys' use cases as the resolvers reach them.
type Services struct {
	Manage *Manage
}

// activityTopic files key events with the account's (the ACCOUNT filter
// of a user's activity shows them).
const activityTopic = "ACCOUNT"

// recorder writes activity rows; a failed write is logged, never the
// caller's failure.
type recorder struct {
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

func (r recorder) record(ctx context.Context, userID uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, &userID, activityTopic, action, err, details, r.clock.Now())
	if rerr := r.activities.Record(context.WithoutCancel(ctx), a); rerr != nil {
		r.log.ErrorContext(ctx, "record activity", "action", action, "err", rerr)
	}
}
