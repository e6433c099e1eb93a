package admin

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// LabelUsage lists the label keys and values in use with their counts.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Directory) LabelUsage(ctx context.Context) ([]LabelUsage, error) {
	if _, err := s.caller(ctx, "labelKeys"); err != nil {
		return nil, err
	}
	return s.directory.LabelUsage(ctx)
}

// SessionView is a live session of a user and the device it runs on.
type SessionView struct {
	Session identity.Session
	Device  identity.Device
}

// UserSessions lists a user's live sessions for the roles the
// User.sessions rows allow (staff but ACCOUNTANT by default), most
// recently used first. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (s *Directory) UserSessions(ctx context.Context, userID uuid.UUID) ([]SessionView, error) {
	if _, err := s.caller(ctx, "User.sessions"); err != nil {
		return nil, err
	}
	if l := loadersFrom(ctx); l != nil {
		return l.sessions.Load(ctx, userID)
	}
	out, err := s.sessionsOf(ctx, []uuid.UUID{userID})
	if err != nil {
		return nil, err
	}
	return out[userID], nil
}

// RecentActivity lists a user's latest activities for staff, newest first;
// first is 1 to 100 (0 means 20). Errors: UNAUTHENTICATED, FORBIDDEN,
// VALIDATION_FAILED.
func (s *Directory) RecentActivity(ctx context.Context, userID uuid.UUID, first int) ([]ports.Activity, error) {
	if _, err := s.caller(ctx, "User.recentActivity"); err != nil {
		return nil, err
	}
	if first == 0 {
		first = defaultRecent
	}
	if first < 1 || first > maxPage {
		return nil, ports.InvalidField("first", fmt.Sprintf("must be between 1 and %d", maxPage))
	}
	if l := loadersFrom(ctx); l != nil {
		return s.recentLoader(l, first).Load(ctx, userID)
	}
	items, err := s.activities.RecentByUsers(ctx, []uuid.UUID{userID}, first)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []ports.Activity{}
	}
	return items, nil
}
