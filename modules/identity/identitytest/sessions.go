package identitytest

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ identity.Sessions = (*SessionStore)(nil)

type refreshToken struct {
	sessionID uuid.UUID
	expiresAt time.Time
	rotatedAt *time.Time
}

// SessionStore implements identity.Sessions; refresh tokens are kept by
// hash, one family per session.
type SessionStore struct {
	mu       sync.Mutex
	sessions map[uuid.UUID]identity.Session
	tokens   map[string]*refreshToken // by string(hash)
}

// NewSessionStore returns an empty store.
func NewSessionStore() *SessionStore {
	return &SessionStore{sessions: map[uuid.UUID]identity.Session{}, tokens: map[string]*refreshToken{}}
}

func (s *SessionStore) Create(ctx context.Context, sess identity.Session, refreshHash []byte, refreshExpires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sess.ID]; ok {
		return conflict("", "")
	}
	if _, ok := s.tokens[string(refreshHash)]; ok {
		return conflict("", "")
	}
	sess.RevokedAt, sess.RevokeNote, sess.SteppedUpUntil = nil, "", nil
	s.sessions[sess.ID] = sess
	s.tokens[string(refreshHash)] = &refreshToken{sessionID: sess.ID, expiresAt: refreshExpires}
	return nil
}

func (s *SessionStore) Get(ctx context.Context, id uuid.UUID) (identity.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return identity.Session{}, ports.ErrNotFound
	}
	sess.RevokedAt = portstest.Clone(sess.RevokedAt)
	sess.SteppedUpUntil = portstest.Clone(sess.SteppedUpUntil)
	return sess, nil
}

// ListLive returns the user's sessions neither revoked nor expired at now,
// most recently used first (ties by id), at most 100.
func (s *SessionStore) ListLive(ctx context.Context, userID uuid.UUID, now time.Time) ([]identity.Session, error) {
	s.mu.Lock()
	var out []identity.Session
	for _, sess := range s.sessions {
		if sess.UserID == userID && sess.RevokedAt == nil && sess.ExpiresAt.After(now) {
			out = append(out, sess)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b identity.Session) int {
		if c := b.LastUsedAt.Compare(a.LastUsedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	if len(out) > 100 {
		out = out[:100]
	}
	return out, nil
}

// dropDevices deletes the sessions on these devices and their refresh
// tokens, as the database cascades a device's deletion.
func (s *SessionStore) dropDevices(deviceIDs []uuid.UUID) {
	if s == nil || len(deviceIDs) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped := map[uuid.UUID]bool{}
	for id, sess := range s.sessions {
		if slices.Contains(deviceIDs, sess.DeviceID) {
			dropped[id] = true
			delete(s.sessions, id)
		}
	}
	for h, tok := range s.tokens {
		if dropped[tok.sessionID] {
			delete(s.tokens, h)
		}
	}
}

// Rotate claims an unrotated, unexpired token. A token rotated before is
// reuse: its session is revoked and reported. Anything else (unknown, or
// expired and never rotated) is ErrNotFound. A dead session's token is
// claimed but no new token is stored for it, as the adapter does.
func (s *SessionStore) Rotate(ctx context.Context, oldHash, newHash []byte, at, newExpires time.Time) (identity.RefreshRotation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.tokens[string(oldHash)]
	if !ok {
		return identity.RefreshRotation{}, ports.ErrNotFound
	}
	if tok.rotatedAt != nil {
		s.revoke(tok.sessionID, at, "refresh token reused")
		sess := s.sessions[tok.sessionID]
		sess.RevokedAt = portstest.Clone(sess.RevokedAt)
		return identity.RefreshRotation{Session: sess, Reused: true}, nil
	}
	if !tok.expiresAt.After(at) {
		return identity.RefreshRotation{}, ports.ErrNotFound
	}
	sess := s.sessions[tok.sessionID]
	alive := sess.RevokedAt == nil && sess.ExpiresAt.After(at)
	if _, dup := s.tokens[string(newHash)]; dup && alive {
		return identity.RefreshRotation{}, conflict("", "")
	}
	rotated := at
	tok.rotatedAt = &rotated
	sess.LastUsedAt = at
	s.sessions[sess.ID] = sess
	if alive {
		s.tokens[string(newHash)] = &refreshToken{sessionID: sess.ID, expiresAt: newExpires}
	}
	sess.RevokedAt = portstest.Clone(sess.RevokedAt)
	return identity.RefreshRotation{Session: sess}, nil
}

// revoke ends a live session; s.mu must be held.
func (s *SessionStore) revoke(id uuid.UUID, at time.Time, note string) {
	sess, ok := s.sessions[id]
	if !ok || sess.RevokedAt != nil {
		return
	}
	t := at
	sess.RevokedAt, sess.RevokeNote = &t, note
	s.sessions[id] = sess
}

func (s *SessionStore) Revoke(ctx context.Context, id uuid.UUID, at time.Time, note string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoke(id, at, note)
	return nil
}

func (s *SessionStore) RevokeAllForUser(ctx context.Context, userID uuid.UUID, keep uuid.UUID, at time.Time, note string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if sess.UserID == userID && id != keep && sess.RevokedAt == nil {
			s.revoke(id, at, note)
			n++
		}
	}
	return n, nil
}

// ForUser returns the user's sessions, oldest first (for assertions).
func (s *SessionStore) ForUser(userID uuid.UUID) []identity.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []identity.Session
	for _, sess := range s.sessions {
		if sess.UserID == userID {
			sess.RevokedAt = portstest.Clone(sess.RevokedAt)
			out = append(out, sess)
		}
	}
	slices.SortFunc(out, func(a, b identity.Session) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func (s *SessionStore) StepUp(ctx context.Context, id, userID uuid.UUID, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || sess.UserID != userID || sess.RevokedAt != nil {
		return ports.ErrNotFound
	}
	t := until
	sess.SteppedUpUntil = &t
	s.sessions[id] = sess
	return nil
}

func (s *SessionStore) SpendStepUp(ctx context.Context, id, userID uuid.UUID, now time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || sess.UserID != userID || sess.RevokedAt != nil || sess.SteppedUpUntil == nil ||
		!sess.SteppedUpUntil.After(now) {
		return false, nil
	}
	sess.SteppedUpUntil = nil
	s.sessions[id] = sess
	return true, nil
}
