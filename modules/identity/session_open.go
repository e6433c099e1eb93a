package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// How sessions open and end for the other use cases: sign-up, sign-in and
// the PIN and password changes open and end them through the session
// service, so only it holds the session, device and token ports.

// trustAndOpen makes d trusted with a fresh device secret, stores it and
// opens a session on it (with the mfa scope when a second factor was
// shown); the Auth carries the secret for the client, shown this once.
// Call it inside the transaction that proves the device.
func (s *SessionService) trustAndOpen(ctx context.Context, u User, d Device, mfa bool) (Auth, Device, error) {
	secret, err := trust(&d)
	if err != nil {
		return Auth{}, Device{}, err
	}
	device, err := s.devices.UpsertDevice(ctx, d)
	if err != nil {
		return Auth{}, Device{}, err
	}
	auth, err := s.openSession(ctx, u, device, mfa)
	if err != nil {
		return Auth{}, Device{}, err
	}
	auth.DeviceSecret = secret
	return auth, device, nil
}

// startSession creates a session on device and signs its first tokens;
// call it inside the transaction that makes the user or trusts the device.
func (s *SessionService) startSession(ctx context.Context, u User, device Device) (Auth, error) {
	return s.openSession(ctx, u, device, false)
}

// openSession is startSession that records whether a second factor was
// shown (the access token then carries the mfa scope).
func (s *SessionService) openSession(ctx context.Context, u User, device Device, mfa bool) (Auth, error) {
	now := s.clock.Now()
	refresh, refreshHash, err := newSecret("ghr_")
	if err != nil {
		return Auth{}, err
	}
	sess := Session{ID: uuid.New(), UserID: u.ID, DeviceID: device.ID, CreatedAt: now,
		LastUsedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), MFA: mfa}
	if err := s.sessions.Create(ctx, sess, refreshHash, now.Add(s.cfg.RefreshTTL)); err != nil {
		return Auth{}, err
	}
	return s.signAccess(u, sess, refresh)
}

// signInOnDevice records the device (trusting it, with d's new secret,
// when d.Trusted) and opens a session, in one transaction.
func (s *SessionService) signInOnDevice(ctx context.Context, u User, d Device, action string) (Auth, error) {
	var auth Auth
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		d.CreatedAt, d.LastSeenAt = now, now
		device, err := s.devices.UpsertDevice(ctx, d)
		if err != nil {
			return err
		}
		auth, err = s.startSession(ctx, u, device)
		if err != nil {
			return err
		}
		s.record(ctx, &u.ID, "SESSION", action, nil, map[string]string{"device": d.DeviceKey})
		return nil
	})
	return auth, err
}

// Scopes of user access tokens.
const (
	ScopeSession = "session"
	ScopeMFA     = "mfa"
)

func sessionScopes(sess Session) []string {
	if sess.MFA {
		return []string{ScopeSession, ScopeMFA}
	}
	return []string{ScopeSession}
}

func (s *SessionService) signAccess(u User, sess Session, refresh string) (Auth, error) {
	now := s.clock.Now()
	exp := now.Add(s.cfg.AccessTokenTTL)
	tok, err := s.tokens.Sign(ports.AccessClaims{UserID: u.ID, SessionID: sess.ID, Role: u.Role,
		Scopes: sessionScopes(sess), IssuedAt: now, ExpiresAt: exp})
	if err != nil {
		return Auth{}, err
	}
	return Auth{AccessToken: tok, AccessTokenExpiresAt: exp, RefreshToken: refresh, User: u}, nil
}

// signOutOthers ends every live session of the user but keepSession and
// takes trust, secret and wrong-PIN count from every device but
// keepDevice (uuid.Nil keeps none), inside the caller's transaction; it
// returns how many sessions it ended.
func (s *SessionService) signOutOthers(ctx context.Context, userID, keepSession, keepDevice uuid.UUID, at time.Time, note string) (int, error) {
	n, err := s.sessions.RevokeAllForUser(ctx, userID, keepSession, at, note)
	if err != nil {
		return 0, err
	}
	// Before the commit: this instance refuses the ended sessions from
	// now on (forgetting more than a rolled-back change needed is
	// harmless), and the notification after the commit drops what a
	// request read meanwhile, here and everywhere.
	s.viewer.Forget(userID)
	if _, err := s.devices.UntrustDevices(ctx, userID, keepDevice); err != nil {
		return 0, err
	}
	return n, nil
}
