package identity

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Activity topics a user may filter on; ALL is no filter.
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

// ActivityPage is one page of a user's activity, newest first.
type ActivityPage struct {
	Items   []ports.Activity
	Cursors []string
	HasNext bool
}

// MyActivity lists the viewer's own activity, newest first; first is 1 to
// 100. Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func (s *Service) MyActivity(ctx context.Context, topic string, first int, after string) (ActivityPage, error) {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return ActivityPage{}, err
	}
	topics, ok := activityTopics[topic]
	var errs []error
	if !ok {
		errs = append(errs, ports.InvalidField("topic", "is not a topic"))
	}
	if first < 1 || first > 100 {
		errs = append(errs, ports.InvalidField("first", "must be between 1 and 100"))
	}
	var cursor *ports.ActivityCursor
	if after != "" {
		c, err := decodeActivityCursor(after)
		if err != nil {
			errs = append(errs, err)
		}
		cursor = &c
	}
	if err := merge(errs...); err != nil {
		return ActivityPage{}, err
	}
	items, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: v.User.ID, Topics: topics,
		After: cursor, Limit: first + 1})
	if err != nil {
		return ActivityPage{}, err
	}
	page := ActivityPage{HasNext: len(items) > first}
	if page.HasNext {
		items = items[:first]
	}
	page.Items = items
	for _, a := range items {
		page.Cursors = append(page.Cursors, encodeActivityCursor(a))
	}
	return page, nil
}

// Cursors are opaque to clients: base64 of "unix-nanos:uuid".
func encodeActivityCursor(a ports.Activity) string {
	raw := strconv.FormatInt(a.CreatedAt.UnixNano(), 10) + ":" + a.ID.String()
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeActivityCursor(s string) (ports.ActivityCursor, error) {
	bad := ports.InvalidField("after", "is not a cursor from this list")
	if len(s) > 100 {
		return ports.ActivityCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ports.ActivityCursor{}, bad
	}
	ns, id, ok := strings.Cut(string(raw), ":")
	if !ok {
		return ports.ActivityCursor{}, bad
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return ports.ActivityCursor{}, bad
	}
	uid, err := uuid.Parse(id)
	if err != nil {
		return ports.ActivityCursor{}, bad
	}
	return ports.ActivityCursor{CreatedAt: time.Unix(0, n).UTC(), ID: uid}, nil
}
