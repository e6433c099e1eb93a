package identity

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Viewer is the signed-in caller of a request.
type Viewer struct {
	User      User
	SessionID uuid.UUID
	// DeviceID is the session's device; sessions open only on trusted
	// devices, and lose their device's trust only together.
	DeviceID uuid.UUID
}

// requestAuth is the bearer token of one request and, once resolved, who
// it belongs to; resolved at most once per request.
type requestAuth struct {
	token  string
	once   sync.Once
	viewer *Viewer
	err    error
}

type authKey struct{}

// WithBearerToken attaches the request's bearer token (may be empty).
func WithBearerToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, authKey{}, &requestAuth{token: token})
}

// Viewer returns the caller, nil when anonymous. A token that is invalid,
// expired, or whose session ended is UNAUTHENTICATED, not anonymous, so
// clients know to refresh. Errors: UNAUTHENTICATED, LOCKED,
// ACCESS_RESTRICTED.
func (s *Service) Viewer(ctx context.Context) (*Viewer, error) {
	ra, _ := ctx.Value(authKey{}).(*requestAuth)
	if ra == nil || ra.token == "" {
		return nil, nil
	}
	ra.once.Do(func() { ra.viewer, ra.err = s.resolve(ctx, ra.token) })
	return ra.viewer, ra.err
}

// RequireViewer is Viewer for operations that need a signed-in caller.
func (s *Service) RequireViewer(ctx context.Context) (*Viewer, error) {
	v, err := s.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return v, nil
}

var errSessionEnded = ports.Errorf(ports.CodeUnauthenticated, "the session has ended; sign in again")

func (s *Service) resolve(ctx context.Context, token string) (*Viewer, error) {
	now := s.clock.Now()
	claims, err := s.tokens.Verify(token, now)
	if err != nil {
		return nil, err
	}
	sess, err := s.sessions.Get(ctx, claims.SessionID)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, errSessionEnded
	} else if err != nil {
		return nil, err
	}
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || sess.UserID != claims.UserID {
		return nil, errSessionEnded
	}
	u, err := s.users.GetByID(ctx, claims.UserID)
	if err != nil {
		return nil, err
	}
	if err := checkActive(u); err != nil {
		return nil, err
	}
	return &Viewer{User: u, SessionID: sess.ID, DeviceID: sess.DeviceID}, nil
}

// Me returns the signed-in user, nil when anonymous.
func (s *Service) Me(ctx context.Context) (*User, error) {
	v, err := s.Viewer(ctx)
	if err != nil || v == nil {
		return nil, err
	}
	return &v.User, nil
}

// Devices lists a user's devices to the user and to the roles the
// User.devices rows allow (SUPPORT, COMPLIANCE, ADMIN, SUPERADMIN by
// default). Staff never see
// a push token: it would let them message the device. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (s *Service) Devices(ctx context.Context, userID uuid.UUID) ([]Device, error) {
	v, err := s.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	own := v.User.ID == userID
	if !own && (s.rules == nil || !s.rules.Allowed(v.User.Role, "User.devices")) {
		return nil, ports.Errorf(ports.CodeForbidden, "you may only see your own devices")
	}
	devices, err := s.devices.ListDevices(ctx, userID)
	if err != nil || own {
		return devices, err
	}
	for i, d := range devices {
		if d.Push != nil {
			p := *d.Push
			p.Token = ""
			devices[i].Push = &p
		}
	}
	return devices, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
