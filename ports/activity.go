package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// ActivityResult says how a security-relevant event ended.
type ActivityResult string

const (
	ActivitySucceeded ActivityResult = "SUCCEEDED"
	ActivityFailed    ActivityResult = "FAILED"
	ActivityDenied    ActivityResult = "DENIED"
)

// Activity is one append-only row of the security log.
type Activity struct {
	ID        uuid.UUID
	UserID    *uuid.UUID
	Topic     string // SESSION, PIN, OTP, SIGNUP, ...
	Action    string // e.g. "sign_in.pin"
	Result    ActivityResult
	IP        string
	UserAgent string
	// Details holds non-secret facts (device id, reason). Never secrets.
	Details   map[string]string
	CreatedAt time.Time
}

// NewActivity builds the row for an event at at: SUCCEEDED when err is
// nil, otherwise FAILED with err's code as details["reason"], and the
// caller's IP and user agent from ctx.
func NewActivity(ctx context.Context, userID *uuid.UUID, topic, action string, err error,
	details map[string]string, at time.Time) Activity {
	a := Activity{UserID: userID, Topic: topic, Action: action, Result: ActivitySucceeded,
		Details: details, CreatedAt: at}
	if err != nil {
		a.Result = ActivityFailed
		if a.Details == nil {
			a.Details = map[string]string{}
		}
		a.Details["reason"] = string(ErrorCodeOf(err))
	}
	m := RequestMetaFrom(ctx)
	a.IP, a.UserAgent = m.IP, m.UserAgent
	return a
}

// ActivityLog appends activities. Inside a transaction the row commits or
// rolls back with it; failures are recorded outside any transaction so
// they survive the rollback of the failed operation.
type ActivityLog interface {
	Record(ctx context.Context, a Activity) error
}
