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

// activityTopics are the topics a reader may filter on, each with the
// stored topics it covers; ALL is no filter.
var activityTopics = map[string][]string{
	"ALL":      nil,
	"SESSION":  {"SESSION"},
	"PASSWORD": {"PASSWORD"},
	"PIN":      {"PIN"},
	"OTP":      {"OTP"},
	"MFA":      {"MFA"},
	"ACCOUNT":  {"ACCOUNT", "SIGNUP"},
	"KYC":      {"KYC"},
}

// TopicsOf returns the stored topics a filter topic covers (nil for ALL);
// ok is false for an unknown topic.
func TopicsOf(topic string) (topics []string, ok bool) {
	topics, ok = activityTopics[topic]
	return topics, ok
}

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
	// List returns a user's activities newest first, keyset-paginated.
	List(ctx context.Context, q ActivityQuery) ([]Activity, error)
}

// ActivityQuery selects one page of a user's activities.
type ActivityQuery struct {
	UserID uuid.UUID
	// Topics keeps only these topics; empty keeps all.
	Topics []string
	// After, when set, starts the page after this row (newest first).
	After *ActivityCursor
	Limit int
}

// ActivityCursor is the position of one row in newest-first order.
// Rows of one instant are ordered by ID (activity ids are UUIDv7, so
// they follow the order of writing).
type ActivityCursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// StaffActivities are the two rows of a staff action on a subject user:
// the staff member's own (the request's IP and user agent, details plus
// userId) and the subject's, which the subject reads in their activity
// and which therefore holds no IP, no user agent and no staff id, only
// the staff role (details plus by).
func StaffActivities(ctx context.Context, staff *Caller, subject uuid.UUID, topic, action string, err error,
	details map[string]string, at time.Time) (mine, theirs Activity) {
	own := map[string]string{"userId": subject.String()}
	their := map[string]string{"by": staff.Role}
	for k, v := range details {
		own[k], their[k] = v, v
	}
	uid := staff.UserID
	staffID := &uid
	if staff.Program != nil && staff.Program.Kind == ProgramPartner {
		// A partner app is no user: its row is kept under no user, naming
		// the client.
		staffID, own["client"] = nil, staff.Program.ID
	}
	mine = NewActivity(ctx, staffID, topic, action, err, own, at)
	theirs = NewActivity(WithRequestMeta(ctx, RequestMeta{}), &subject, topic, action, err, their, at)
	return mine, theirs
}
