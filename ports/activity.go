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

// ActivityLog appends activities. Inside a transaction the row commits or
// rolls back with it; failures are recorded outside any transaction so
// they survive the rollback of the failed operation.
type ActivityLog interface {
	Record(ctx context.Context, a Activity) error
}
