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

// Services are the PIN reset's use cases as the resolvers reach them: the
// holder's steps and the staff review, each built from what it uses.
type Services struct {
	Steps  *Steps
	Review *Review
}

// activityModule names the module in the activity rows a reset writes:
// KYC, as before the reset left the kyc module, so the rows and the
// filters on them stay the same.
const activityModule = "KYC"

// trail writes the activity rows of a reset.
type trail struct {
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

// record writes an activity; a failure is logged, never returned.
func (s trail) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, activityModule, action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}

// recordStaff records a staff action twice (see ports.StaffActivities); a
// failure is logged, never returned.
func (s trail) recordStaff(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) {
	staff, subj := ports.StaffActivities(ctx, c, subject, activityModule, action, err, details, s.clock.Now())
	for _, a := range []ports.Activity{staff, subj} {
		if rerr := s.activities.Record(ctx, a); rerr != nil {
			s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
		}
	}
}

// transitionError turns a refused transition into a CONFLICT that says
// what the status now is.
func transitionError(ctx context.Context, resets Resets, id uuid.UUID, err error) error {
	if ports.ErrorCodeOf(err) != ports.CodeConflict {
		return err
	}
	r, gerr := resets.Get(ctx, id)
	if gerr != nil {
		return err
	}
	return stateError(r.Status)
}
