package admin

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// AuditReads are staff's searches of every user's activity and of the
// staff audit trail.
type AuditReads struct {
	gate
	audit AuditSearch
	users Users
}

// NewAuditReads returns the staff's searches of the activity log and the
// audit trail; callers and rules decide who may search (see gate).
func NewAuditReads(audit AuditSearch, users Users, callers ports.CallerSource, rules Rules) *AuditReads {
	return &AuditReads{gate: gate{callers: callers, rules: rules}, audit: audit, users: users}
}

// ActivityFilterInput is a search over every user's activity; zero values
// are no condition.
type ActivityFilterInput struct {
	UserID *uuid.UUID
	Email  *string
	Topic  string // "" or ALL: any
	Action string
	Result string
	From   *time.Time
	To     *time.Time
}

// ActivityPage is one page of activities, newest first.
type ActivityPage struct {
	Items   []ports.Activity
	Cursors []string
	HasNext bool
}

// UserActivities searches every user's activity, newest first; first is 1
// to 100 (0 means 50). An email no user has gives an empty page. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED.
func (s *AuditReads) UserActivities(ctx context.Context, f ActivityFilterInput, first int, after string) (ActivityPage, error) {
	if _, err := s.caller(ctx, "activities"); err != nil {
		return ActivityPage{}, err
	}
	q := ActivitySearch{UserID: f.UserID}
	var errs []error
	var err error
	var email string
	if f.Email != nil {
		// Text without control characters: a NUL would reach PostgreSQL.
		e, err := text("filter.email", *f.Email, 1, 254)
		errs = append(errs, err)
		email = strings.ToLower(e)
	}
	if f.Topic != "" {
		topics, ok := ports.TopicsOf(f.Topic)
		if !ok {
			errs = append(errs, ports.InvalidField("filter.topic", "is not a topic"))
		}
		q.Topics = topics
	}
	if f.Action != "" {
		q.Action, err = text("filter.action", f.Action, 1, maxActionChars)
		errs = append(errs, err)
	}
	if f.Result != "" {
		q.Result = ports.ActivityResult(f.Result)
		if !ports.RoleIn(f.Result, string(ports.ActivitySucceeded), string(ports.ActivityFailed),
			string(ports.ActivityDenied)) {
			errs = append(errs, ports.InvalidField("filter.result", "is not a result"))
		}
	}
	q.From, q.To = utcPtr(f.From), utcPtr(f.To)
	if q.From != nil && q.To != nil && !q.From.Before(*q.To) {
		errs = append(errs, ports.InvalidField("filter.to", "must be after from"))
	}
	first, err = pageSize(first)
	errs = append(errs, err)
	q.After, err = cursor(after)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return ActivityPage{}, err
	}
	if f.Email != nil {
		u, err := s.users.GetByEmail(ctx, email)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && q.UserID != nil && *q.UserID != u.ID) {
			return ActivityPage{Items: []ports.Activity{}}, nil
		}
		if err != nil {
			return ActivityPage{}, err
		}
		q.UserID = &u.ID
	}
	q.Limit = first + 1
	items, err := s.audit.SearchActivities(ctx, q)
	if err != nil {
		return ActivityPage{}, err
	}
	return activityPage(items, first), nil
}

func activityPage(items []ports.Activity, first int) ActivityPage {
	page := ActivityPage{}
	page.Items, page.HasNext = ports.TrimPage(items, first)
	page.Cursors = ports.PageCursors(page.Items, func(a ports.Activity) (time.Time, uuid.UUID) { return a.CreatedAt, a.ID })
	return page
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func cursor(after string) (*ports.ActivityCursor, error) {
	if after == "" {
		return nil, nil
	}
	at, id, err := ports.DecodeCursor(after)
	if err != nil {
		return nil, err
	}
	return &ports.ActivityCursor{CreatedAt: at, ID: id}, nil
}

// AdminActivityFilterInput is a search of the staff audit trail.
type AdminActivityFilterInput struct {
	AdminID      *uuid.UUID
	TargetUserID *uuid.UUID
	Action       string
	From, To     *time.Time
}

// AdminActivityPage is one page of the staff audit trail, newest first.
type AdminActivityPage struct {
	Items   []ports.AdminActivity
	Cursors []string
	HasNext bool
	// Users are the staff members and target users the rows name, read
	// in one statement; a user who is gone is missing.
	Users map[uuid.UUID]identity.User
}

// AdminActivities searches the staff audit trail, newest first; first is
// 1 to 100 (0 means 50). ADMIN and SUPERADMIN only. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED.
func (s *AuditReads) AdminActivities(ctx context.Context, f AdminActivityFilterInput, first int,
	after string) (AdminActivityPage, error) {
	if _, err := s.caller(ctx, "adminActivities"); err != nil {
		return AdminActivityPage{}, err
	}
	q := AdminActivityQuery{AdminID: f.AdminID, TargetUserID: f.TargetUserID, From: utcPtr(f.From),
		To: utcPtr(f.To)}
	var errs []error
	var err error
	if f.Action != "" {
		q.Action, err = text("filter.action", f.Action, 1, maxActionChars)
		errs = append(errs, err)
	}
	if q.From != nil && q.To != nil && !q.From.Before(*q.To) {
		errs = append(errs, ports.InvalidField("filter.to", "must be after from"))
	}
	first, err = pageSize(first)
	errs = append(errs, err)
	q.After, err = cursor(after)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return AdminActivityPage{}, err
	}
	q.Limit = first + 1
	items, err := s.audit.ListAdmin(ctx, q)
	if err != nil {
		return AdminActivityPage{}, err
	}
	page := AdminActivityPage{}
	page.Items, page.HasNext = ports.TrimPage(items, first)
	items = page.Items
	page.Cursors = ports.PageCursors(items, func(a ports.AdminActivity) (time.Time, uuid.UUID) { return a.CreatedAt, a.ID })
	ids := make([]uuid.UUID, 0, 2*len(items))
	for _, a := range items {
		ids = append(ids, a.AdminID)
		if a.TargetUserID != nil {
			ids = append(ids, *a.TargetUserID)
		}
	}
	users, err := s.users.GetByIDs(ctx, ids)
	if err != nil {
		return AdminActivityPage{}, err
	}
	page.Users = make(map[uuid.UUID]identity.User, len(users))
	for _, u := range users {
		page.Users[u.ID] = u
	}
	return page, nil
}
