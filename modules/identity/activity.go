package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// ActivityPage is one page of a user's activity, newest first.
type ActivityPage struct {
	Items   []ports.Activity
	Cursors []string
	HasNext bool
}

// MyActivity lists the viewer's own activity, newest first; first is 1 to
// 100. Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func (s *MeService) MyActivity(ctx context.Context, topic string, first int, after string) (ActivityPage, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return ActivityPage{}, err
	}
	topics, ok := ports.TopicsOf(topic)
	var errs []error
	if !ok {
		errs = append(errs, ports.InvalidField("topic", "is not a topic"))
	}
	at, id, hasAfter, err := ports.PageArgs(first, after)
	errs = append(errs, err)
	var cursor *ports.ActivityCursor
	if hasAfter {
		cursor = &ports.ActivityCursor{CreatedAt: at, ID: id}
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return ActivityPage{}, err
	}
	items, err := s.activities.List(ctx, ports.ActivityQuery{UserID: v.User.ID, Topics: topics,
		After: cursor, Limit: first + 1})
	if err != nil {
		return ActivityPage{}, err
	}
	page := ActivityPage{}
	page.Items, page.HasNext = ports.TrimPage(items, first)
	page.Cursors = ports.PageCursors(page.Items, func(a ports.Activity) (time.Time, uuid.UUID) { return a.CreatedAt, a.ID })
	return page, nil
}
