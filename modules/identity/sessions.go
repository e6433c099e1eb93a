package identity

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// SessionService keeps the signed-in user's sessions and devices: it
// refreshes and ends sessions, lists them, and registers push tokens. The
// other use cases open and end sessions through it (session_open.go).
type SessionService struct {
	recorder
	cfg      Config
	users    Users
	devices  Devices
	sessions Sessions
	tokens   ports.TokenSigner
	tx       ports.TxRunner
	viewer   *ViewerService
}

// NewSessionService returns the session service.
func NewSessionService(cfg Config, users Users, devices Devices, sessions Sessions, tokens ports.TokenSigner,
	viewer *ViewerService, tx ports.TxRunner, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *SessionService {
	return &SessionService{recorder: recorder{activities: activities, clock: clock, log: log}, cfg: cfg, users: users,
		devices: devices, sessions: sessions, tokens: tokens, tx: tx, viewer: viewer}
}

var errBadRefresh = ports.Errorf(ports.CodeUnauthenticated, "the refresh token is invalid or expired; sign in again")

// RefreshSession rotates a refresh token: the old one stops working and a
// new pair is returned. Presenting a token that was already rotated signs
// the whole session out (someone else may hold it). Errors: UNAUTHENTICATED,
// LOCKED, ACCESS_RESTRICTED.
func (s *SessionService) RefreshSession(ctx context.Context, refreshToken string) (Auth, error) {
	if !strings.HasPrefix(refreshToken, "ghr_") || len(refreshToken) > 128 {
		return Auth{}, errBadRefresh
	}
	newToken, newHash, err := newSecret("ghr_")
	if err != nil {
		return Auth{}, err
	}
	now := s.clock.Now()
	rot, err := s.sessions.Rotate(ctx, digest(refreshToken), newHash, now, now.Add(s.cfg.RefreshTTL))
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
	u, err := s.users.GetByID(ctx, uid)
	if err != nil {
		return Auth{}, err
	}
	if err := CheckActive(u); err != nil {
		return Auth{}, err
	}
	return s.signAccess(u, rot.Session, newToken)
}

// SignOut ends the viewer's current session. Errors: UNAUTHENTICATED.
func (s *SessionService) SignOut(ctx context.Context) error {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.sessions.Revoke(ctx, v.SessionID, s.clock.Now(), "signed out"); err != nil {
			return err
		}
		// A device nobody is signed in on must not get pushes.
		return s.devices.ClearPush(ctx, v.DeviceID)
	})
	if err != nil {
		return err
	}
	s.viewer.Forget(v.User.ID)
	s.record(ctx, &v.User.ID, "SESSION", "sign_out", nil, nil)
	return nil
}

// SignOutEverywhere ends every session of the viewer, this one included,
// and takes trust from every device but this one.
// Errors: UNAUTHENTICATED.
func (s *SessionService) SignOutEverywhere(ctx context.Context) error {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return err
	}
	var n int
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		// Every other device must prove the phone again; this one keeps
		// its trust (its owner is holding it).
		n, err = s.signOutOthers(ctx, v.User.ID, uuid.Nil, v.DeviceID, s.clock.Now(), "signed out everywhere")
		return err
	})
	if err != nil {
		return err
	}
	s.record(ctx, &v.User.ID, "SESSION", "sign_out_everywhere", nil, map[string]string{"sessions": itoa(n)})
	return nil
}

// SessionView is one of the viewer's sessions with its device.
type SessionView struct {
	Session Session
	Device  Device
	Current bool
}

// MySessions lists the viewer's live sessions, most recently used first.
// Errors: UNAUTHENTICATED.
func (s *SessionService) MySessions(ctx context.Context) ([]SessionView, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	sessions, err := s.sessions.ListLive(ctx, v.User.ID, s.clock.Now())
	if err != nil {
		return nil, err
	}
	devices, err := s.devices.ListDevices(ctx, v.User.ID)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]Device, len(devices))
	for _, d := range devices {
		byID[d.ID] = d
	}
	out := make([]SessionView, 0, len(sessions))
	for _, sess := range sessions {
		out = append(out, SessionView{Session: sess, Device: byID[sess.DeviceID], Current: sess.ID == v.SessionID})
	}
	return out, nil
}

// RevokeSession ends one of the viewer's sessions (another user's is not
// found). Errors: UNAUTHENTICATED, NOT_FOUND.
func (s *SessionService) RevokeSession(ctx context.Context, id uuid.UUID) error {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return err
	}
	sess, err := s.sessions.Get(ctx, id)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && (sess.UserID != v.User.ID || sess.RevokedAt != nil)) {
		return ports.Errorf(ports.CodeNotFound, "no such session")
	} else if err != nil {
		return err
	}
	if err := s.sessions.Revoke(ctx, id, s.clock.Now(), "revoked by its user"); err != nil {
		return err
	}
	s.viewer.Forget(v.User.ID)
	s.record(ctx, &v.User.ID, "SESSION", "session.revoke", nil, map[string]string{"session": id.String()})
	return nil
}

// PushDevice is registerPushDevice's input.
type PushDevice struct {
	DeviceKey  string
	Token      string
	Platform   string
	OS         string
	OSVersion  string
	Model      string
	AppVersion string
}

// RegisterPushDevice stores (replacing any earlier) the push token of the
// device the viewer's session runs on. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED (another device, bad fields).
func (s *SessionService) RegisterPushDevice(ctx context.Context, in PushDevice) (Device, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return Device{}, err
	}
	var tokenErr, platformErr error
	token := strings.TrimSpace(in.Token)
	switch {
	case token == "":
		tokenErr = ports.InvalidField("token", "is required")
	case len(token) > 4096:
		tokenErr = ports.InvalidField("token", "must be at most 4096 characters")
	case strings.ContainsFunc(token, func(r rune) bool { return r < 0x21 || r > 0x7e }):
		tokenErr = ports.InvalidField("token", "must be printable ASCII without spaces")
	}
	switch in.Platform {
	case "ANDROID", "IOS", "WEB":
	default:
		platformErr = ports.InvalidField("platform", "must be ANDROID, IOS or WEB")
	}
	osName, osErr := cleanName("os", in.OS, 32)
	osVersion, osvErr := cleanName("osVersion", in.OSVersion, 32)
	model, modelErr := cleanName("model", in.Model, 64)
	appVersion, appErr := cleanName("appVersion", in.AppVersion, 32)
	if err := ports.MergeInvalid(tokenErr, platformErr, osErr, osvErr, modelErr, appErr,
		ValidateDeviceKey("deviceId", in.DeviceKey)); err != nil {
		return Device{}, err
	}
	d, err := s.devices.GetDevice(ctx, v.User.ID, in.DeviceKey)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && d.ID != v.DeviceID) {
		return Device{}, ports.InvalidField("deviceId", "must be the device this session runs on")
	} else if err != nil {
		return Device{}, err
	}
	d, err = s.devices.SetPush(ctx, v.User.ID, d.ID, PushRegistration{Token: token, Platform: in.Platform,
		OS: osName, OSVersion: osVersion, Model: model, AppVersion: appVersion, UpdatedAt: s.clock.Now()})
	if err != nil {
		return Device{}, err
	}
	s.record(ctx, &v.User.ID, "SESSION", "push.register", nil, map[string]string{"device": in.DeviceKey})
	return d, nil
}
