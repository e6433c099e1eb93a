package apikeys

import (
	"context"
	"errors"
	"log/slog"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Manage is a user's handling of their keys, and staff's reading of them.
// Creating, changing and deleting a key needs the authenticator app's
// current code: a stolen session alone cannot hand itself a bot.
type Manage struct {
	recorder
	cfg     Config
	keys    Keys
	tfa     SecondFactor
	box     Sealer
	callers ports.CallerSource
}

// NewManage returns the key management service.
func NewManage(cfg Config, keys Keys, tfa SecondFactor, box Sealer, callers ports.CallerSource,
	activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) *Manage {
	return &Manage{recorder: recorder{activities: activities, clock: clock, log: log}, cfg: cfg, keys: keys, tfa: tfa,
		box: box, callers: callers}
}

// Credentials are a new key with its secret, shown this once.
type Credentials struct {
	Key    Key
	Secret string
}

// Update is a change of a key: nil fields are kept.
type Update struct {
	KeyID    uuid.UUID
	State    *State
	Scopes   []string
	TOTPCode string
}

// owner is the calling user. The graph lets no program reach these
// operations (graph/scopes.go); this is the same rule where it matters, so
// a key never manages keys whatever the wiring.
func (m *Manage) owner(ctx context.Context) (*ports.Caller, error) {
	c, err := m.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil || c.UserID == uuid.Nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if c.Program != nil {
		return nil, ports.Refusal(ports.CodeForbidden, "PROGRAM_NOT_ALLOWED", "API keys are managed in a signed-in session")
	}
	return c, nil
}

// Mine returns the caller's keys, oldest first (a key may read its
// owner's list with the read scope). Errors: UNAUTHENTICATED.
func (m *Manage) Mine(ctx context.Context) ([]Key, error) {
	c, err := m.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil || c.UserID == uuid.Nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return m.keys.OfUser(ctx, c.UserID)
}

// OfUser returns a user's keys for staff (the permission rows decide who
// may call it). Errors: none of its own.
func (m *Manage) OfUser(ctx context.Context, userID uuid.UUID) ([]Key, error) {
	return m.keys.OfUser(ctx, userID)
}

// checkCode validates the code's shape, then asks identity: the app must
// be on and the code right. No code asks identity for the session's
// step-up instead, which it spends: one verified code, one change.
func (m *Manage) checkCode(ctx context.Context, userID uuid.UUID, code string) error {
	if code != "" && !identity.LooksLikeTOTP(code) {
		return ports.InvalidField("totpCode", "must be the 6 digits the authenticator app shows")
	}
	return m.tfa.CheckTOTP(ctx, userID, code)
}

// Create makes a key with scopes and returns it with its secret, shown
// this once. Errors: UNAUTHENTICATED, FORBIDDEN (reason TOTP_REQUIRED:
// the authenticator app is off; PROGRAM_NOT_ALLOWED), VALIDATION_FAILED,
// INVALID_CODE, RATE_LIMITED, CONFLICT (reason KEY_LIMIT_REACHED).
func (m *Manage) Create(ctx context.Context, scopes []string, totpCode string) (Credentials, error) {
	c, err := m.owner(ctx)
	if err != nil {
		return Credentials{}, err
	}
	scopes, err = CheckScopes("scopes", scopes)
	if err != nil {
		return Credentials{}, err
	}
	// The limit first, so a code is not spent on a key that cannot be
	// made; the store decides again under the user's lock.
	held, err := m.keys.OfUser(ctx, c.UserID)
	if err != nil {
		return Credentials{}, err
	}
	if len(held) >= m.cfg.MaxKeysPerUser {
		err := KeyLimitReached(m.cfg.MaxKeysPerUser)
		m.record(ctx, c.UserID, "api_key.create", err, nil)
		return Credentials{}, err
	}
	if err := m.checkCode(ctx, c.UserID, totpCode); err != nil {
		m.record(ctx, c.UserID, "api_key.create", err, nil)
		return Credentials{}, err
	}
	secret, err := NewSecret()
	if err != nil {
		return Credentials{}, err
	}
	now := m.clock.Now()
	k := Key{ID: uuid.New(), UserID: c.UserID, Scopes: scopes, State: Active, CreatedAt: now, UpdatedAt: now}
	// The key's id binds the sealed secret to its row: copied to another
	// key, it does not open.
	if k.SealedSecret, err = m.box.Seal([]byte(secret), k.ID[:]); err != nil {
		return Credentials{}, err
	}
	if err := m.keys.Create(ctx, k, m.cfg.MaxKeysPerUser); err != nil {
		m.record(ctx, c.UserID, "api_key.create", err, nil)
		return Credentials{}, err
	}
	m.record(ctx, c.UserID, "api_key.create", nil, map[string]string{"keyId": k.ID.String()})
	return Credentials{Key: k, Secret: secret}, nil
}

// Update changes a key's state or scopes. Errors: UNAUTHENTICATED,
// FORBIDDEN (TOTP_REQUIRED, PROGRAM_NOT_ALLOWED), NOT_FOUND (no key of the
// caller's), VALIDATION_FAILED (reason NO_CHANGE when nothing is asked),
// INVALID_CODE, RATE_LIMITED.
func (m *Manage) Update(ctx context.Context, u Update) (Key, error) {
	c, err := m.owner(ctx)
	if err != nil {
		return Key{}, err
	}
	if u.State == nil && u.Scopes == nil {
		e := ports.InvalidField("state", "give a state or scopes to change")
		e.Reason = ReasonNoChangeRequested
		return Key{}, e
	}
	if u.State != nil && *u.State != Active && *u.State != Disabled {
		return Key{}, ports.InvalidField("state", "must be ACTIVE or DISABLED")
	}
	var scopes []string
	if u.Scopes != nil {
		if scopes, err = CheckScopes("scopes", u.Scopes); err != nil {
			return Key{}, err
		}
	}
	k, err := m.keys.Get(ctx, u.KeyID)
	if errors.Is(err, ports.ErrNotFound) || (err == nil && k.UserID != c.UserID) {
		// Another user's key is as absent as a missing one.
		return Key{}, ports.Errorf(ports.CodeNotFound, "no such API key")
	} else if err != nil {
		return Key{}, err
	}
	if err := m.checkCode(ctx, c.UserID, u.TOTPCode); err != nil {
		m.record(ctx, c.UserID, "api_key.update", err, map[string]string{"keyId": k.ID.String()})
		return Key{}, err
	}
	// Only what is asked: a change made meanwhile in another session (a
	// disabling) is not written back over.
	change := Key{ID: k.ID, UserID: k.UserID, Scopes: scopes, UpdatedAt: m.clock.Now()}
	if u.State != nil {
		change.State = *u.State
	}
	k, err = m.keys.Update(ctx, change)
	if err != nil {
		if errors.Is(err, ports.ErrNotFound) {
			return Key{}, ports.Errorf(ports.CodeNotFound, "no such API key")
		}
		return Key{}, err
	}
	m.record(ctx, c.UserID, "api_key.update", nil, map[string]string{"keyId": k.ID.String(), "state": string(k.State)})
	return k, nil
}

// Delete removes one of the caller's keys: its next signed request is
// refused as KEY_UNKNOWN. Errors: UNAUTHENTICATED, FORBIDDEN
// (TOTP_REQUIRED, PROGRAM_NOT_ALLOWED), NOT_FOUND, VALIDATION_FAILED,
// INVALID_CODE, RATE_LIMITED.
func (m *Manage) Delete(ctx context.Context, keyID uuid.UUID, totpCode string) error {
	c, err := m.owner(ctx)
	if err != nil {
		return err
	}
	if err := m.checkCode(ctx, c.UserID, totpCode); err != nil {
		m.record(ctx, c.UserID, "api_key.delete", err, map[string]string{"keyId": keyID.String()})
		return err
	}
	if err := m.keys.Delete(ctx, c.UserID, keyID); err != nil {
		if errors.Is(err, ports.ErrNotFound) {
			return ports.Errorf(ports.CodeNotFound, "no such API key")
		}
		return err
	}
	m.record(ctx, c.UserID, "api_key.delete", nil, map[string]string{"keyId": keyID.String()})
	return nil
}

// KeyLimitReached is the refusal of a key beyond a user's max.
func KeyLimitReached(max int) *ports.Error {
	return ports.Refusal(ports.CodeConflict, ReasonKeyLimitReached,
		"you hold the most API keys allowed (%d); delete one first", max)
}
