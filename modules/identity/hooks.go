package identity

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// emit tells the other modules (KYC labels and levels, accounts) what
// happened to u. Call it inside the transaction that made the change:
// a hook's error rolls the change back. It returns u as the hooks left it
// (a hook may have changed the level).
func (s *Service) emit(ctx context.Context, kind UserEventKind, u User) (User, error) {
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

// Caller is the signed-in caller as other modules see it (it makes the
// service a ports.CallerSource); nil when anonymous.
func (s *Service) Caller(ctx context.Context) (*ports.Caller, error) {
	v, err := s.Viewer(ctx)
	if err != nil || v == nil {
		return nil, err
	}
	return &ports.Caller{UserID: v.User.ID, Role: v.User.Role, SessionID: v.SessionID, DeviceID: v.DeviceID}, nil
}

var _ ports.CallerSource = (*Service)(nil)

// UserByID returns a user to the roles the user rows let read any user
// (staff by default), for the user query and the user of a review; nil
// when there is none. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) UserByID(ctx context.Context, id uuid.UUID) (*User, error) {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	if s.rules == nil || !s.rules.Allowed(v.User.Role, "user") {
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not read other users")
	}
	u, err := s.users.GetByID(ctx, id)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}
