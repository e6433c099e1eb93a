package identity

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var errBadRefresh = ports.Errorf(ports.CodeUnauthenticated, "the refresh token is invalid or expired; sign in again")

// RefreshSession rotates a refresh token: the old one stops working and a
// new pair is returned. Presenting a token that was already rotated signs
// the whole session out (someone else may hold it). Errors: UNAUTHENTICATED,
// LOCKED, ACCESS_RESTRICTED.
func (s *Service) RefreshSession(ctx context.Context, refreshToken string) (Auth, error) {
	if !strings.HasPrefix(refreshToken, "ghr_") || len(refreshToken) > 128 {
		return Auth{}, errBadRefresh
	}
	newToken, newHash, err := newSecret("ghr_")
	if err != nil {
		return Auth{}, err
	}
	now := s.Clock.Now()
	rot, err := s.Sessions.Rotate(ctx, digest(refreshToken), newHash, now, now.Add(s.cfg.RefreshTTL))
	if errors.Is(err, ports.ErrNotFound) {
		return Auth{}, errBadRefresh
	} else if err != nil {
		return Auth{}, err
	}
	uid := rot.Session.UserID
	if rot.Reused {
		s.record(ctx, &uid, "SESSION", "session.refresh_reused", errBadRefresh,
			map[string]string{"session": rot.Session.ID.String()})
		return Auth{}, ports.Errorf(ports.CodeUnauthenticated,
			"this refresh token was already used; the session has been signed out for safety")
	}
	if rot.Session.RevokedAt != nil || !now.Before(rot.Session.ExpiresAt) {
		return Auth{}, errBadRefresh
	}
	u, err := s.Users.GetByID(ctx, uid)
	if err != nil {
		return Auth{}, err
	}
	if err := checkActive(u); err != nil {
		return Auth{}, err
	}
	return s.signAccess(u, rot.Session.ID, newToken)
}

// SignOut ends the viewer's current session. Errors: UNAUTHENTICATED.
func (s *Service) SignOut(ctx context.Context) error {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return err
	}
	if err := s.Sessions.Revoke(ctx, v.SessionID, s.Clock.Now(), "signed out"); err != nil {
		return err
	}
	s.record(ctx, &v.User.ID, "SESSION", "sign_out", nil, nil)
	return nil
}

// SignOutEverywhere ends every session of the viewer, this one included,
// and takes trust from every device but this one.
// Errors: UNAUTHENTICATED.
func (s *Service) SignOutEverywhere(ctx context.Context) error {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return err
	}
	var n int
	err = s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.Sessions.RevokeAllForUser(ctx, v.User.ID, uuid.Nil, s.Clock.Now(), "signed out everywhere"); err != nil {
			return err
		}
		// Every other device must prove the phone again; this one keeps
		// its trust (its owner is holding it).
		_, err = s.Users.UntrustDevices(ctx, v.User.ID, v.DeviceID)
		return err
	})
	if err != nil {
		return err
	}
	s.record(ctx, &v.User.ID, "SESSION", "sign_out_everywhere", nil, map[string]string{"sessions": itoa(n)})
	return nil
}
