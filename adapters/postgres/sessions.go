package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID     uuid.UUID  `bun:"user_id,type:uuid"`
	DeviceID   uuid.UUID  `bun:"device_id,type:uuid"`
	CreatedAt  time.Time  `bun:"created_at"`
	LastUsedAt time.Time  `bun:"last_used_at"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	RevokeNote string     `bun:"revoke_note"`
	MFA        bool       `bun:"mfa"`
	SteppedUp  *time.Time `bun:"stepped_up_until"`
}

func (r sessionRow) toPort() identity.Session {
	return identity.Session{ID: r.ID, UserID: r.UserID, DeviceID: r.DeviceID, CreatedAt: r.CreatedAt,
		LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, RevokeNote: r.RevokeNote, MFA: r.MFA,
		SteppedUpUntil: r.SteppedUp}
}

// SessionStore implements identity.Sessions.
type SessionStore struct{ db *bun.DB }

var _ identity.Sessions = (*SessionStore)(nil)

// NewSessionStore returns a store over db.
func NewSessionStore(db *bun.DB) *SessionStore { return &SessionStore{db: db} }

func (s *SessionStore) Create(ctx context.Context, sess identity.Session, refreshHash []byte, refreshExpires time.Time) error {
	db := conn(ctx, s.db)
	row := sessionRow{ID: sess.ID, UserID: sess.UserID, DeviceID: sess.DeviceID, CreatedAt: sess.CreatedAt,
		LastUsedAt: sess.LastUsedAt, ExpiresAt: sess.ExpiresAt, MFA: sess.MFA}
	if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return mapErr(err)
	}
	_, err := db.NewRaw(`INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		refreshHash, sess.ID, sess.CreatedAt, refreshExpires).Exec(ctx)
	return mapErr(err)
}

func (s *SessionStore) Get(ctx context.Context, id uuid.UUID) (identity.Session, error) {
	var row sessionRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return identity.Session{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *SessionStore) ListLive(ctx context.Context, userID uuid.UUID, now time.Time) ([]identity.Session, error) {
	var rows []sessionRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id = ? AND revoked_at IS NULL AND expires_at > ?", userID, now).
		OrderExpr("last_used_at DESC, id").Limit(100).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, sessionRow.toPort), nil
}

// Rotate claims the old token with one conditional UPDATE: of any number of
// concurrent callers exactly one sees rotated_at NULL and gets the new
// pair. Everyone else presented a token already rotated: reuse.
func (s *SessionStore) Rotate(ctx context.Context, oldHash, newHash []byte, at, newExpires time.Time) (identity.RefreshRotation, error) {
	var out identity.RefreshRotation
	err := NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		var claimed []uuid.UUID
		err := db.NewRaw(`UPDATE refresh_tokens SET rotated_at = ?
			WHERE token_hash = ? AND rotated_at IS NULL AND expires_at > ? RETURNING session_id`,
			at, oldHash, at).Scan(ctx, &claimed)
		if err != nil {
			return mapErr(err)
		}
		if len(claimed) == 0 {
			var sessionIDs []uuid.UUID
			if err := db.NewRaw(`SELECT session_id FROM refresh_tokens WHERE token_hash = ? AND rotated_at IS NOT NULL`,
				oldHash).Scan(ctx, &sessionIDs); err != nil {
				return mapErr(err)
			}
			if len(sessionIDs) == 0 {
				return ports.ErrNotFound // unknown or expired
			}
			out.Reused = true
			if err := s.Revoke(ctx, sessionIDs[0], at, "refresh token reused"); err != nil {
				return err
			}
			sess, err := s.Get(ctx, sessionIDs[0])
			out.Session = sess
			return err
		}
		var row sessionRow
		err = db.NewUpdate().Model(&row).Set("last_used_at = ?", at).
			Where("id = ?", claimed[0]).Returning("*").Scan(ctx)
		if err != nil {
			return mapErr(err)
		}
		out.Session = row.toPort()
		if row.RevokedAt != nil || !row.ExpiresAt.After(at) {
			return nil // the caller refuses a dead session; no new token for it
		}
		_, err = db.NewRaw(`INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			newHash, row.ID, at, newExpires).Exec(ctx)
		return mapErr(err)
	})
	return out, err
}

func (s *SessionStore) Revoke(ctx context.Context, id uuid.UUID, at time.Time, note string) error {
	_, err := conn(ctx, s.db).NewUpdate().Model((*sessionRow)(nil)).
		Set("revoked_at = ?", at).Set("revoke_note = ?", note).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	return mapErr(err)
}

func (s *SessionStore) RevokeAllForUser(ctx context.Context, userID, keep uuid.UUID, at time.Time, note string) (int, error) {
	res, err := conn(ctx, s.db).NewUpdate().Model((*sessionRow)(nil)).
		Set("revoked_at = ?", at).Set("revoke_note = ?", note).
		Where("user_id = ? AND id <> ? AND revoked_at IS NULL", userID, keep).Exec(ctx)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// sessionUserRow is a session and its user read by one statement.
type sessionUserRow struct {
	userRow
	SessID         uuid.UUID  `bun:"sess_id,type:uuid"`
	SessUserID     uuid.UUID  `bun:"sess_user_id,type:uuid"`
	SessDeviceID   uuid.UUID  `bun:"sess_device_id,type:uuid"`
	SessCreatedAt  time.Time  `bun:"sess_created_at"`
	SessLastUsedAt time.Time  `bun:"sess_last_used_at"`
	SessExpiresAt  time.Time  `bun:"sess_expires_at"`
	SessRevokedAt  *time.Time `bun:"sess_revoked_at"`
	SessRevokeNote string     `bun:"sess_revoke_note"`
	SessMFA        bool       `bun:"sess_mfa"`
}

var _ identity.SessionReads = (*SessionStore)(nil)

// SessionWithUser reads the session and its user (with the credential
// flags) in one statement: the cold path of every authenticated request.
func (s *SessionStore) SessionWithUser(ctx context.Context, id uuid.UUID) (identity.Session, identity.User, error) {
	var row sessionUserRow
	err := conn(ctx, s.db).NewRaw(`SELECT `+userColumns+`,
		s.id AS sess_id, s.user_id AS sess_user_id, s.device_id AS sess_device_id, s.created_at AS sess_created_at,
		s.last_used_at AS sess_last_used_at, s.expires_at AS sess_expires_at, s.revoked_at AS sess_revoked_at,
		s.revoke_note AS sess_revoke_note, s.mfa AS sess_mfa
		FROM sessions AS s JOIN users AS u ON u.id = s.user_id
		WHERE s.id = ?`, id).Scan(ctx, &row)
	if err != nil {
		return identity.Session{}, identity.User{}, mapErr(err)
	}
	sess := sessionRow{ID: row.SessID, UserID: row.SessUserID, DeviceID: row.SessDeviceID, CreatedAt: row.SessCreatedAt,
		LastUsedAt: row.SessLastUsedAt, ExpiresAt: row.SessExpiresAt, RevokedAt: row.SessRevokedAt,
		RevokeNote: row.SessRevokeNote, MFA: row.SessMFA}
	return sess.toPort(), row.userRow.toPort(), nil
}

// StepUp sets the step-up of a session of userID that is still open, in
// one statement.
func (s *SessionStore) StepUp(ctx context.Context, id, userID uuid.UUID, until time.Time) error {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE sessions SET stepped_up_until = ?
		WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, until, id, userID).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n == 0 {
		return ports.ErrNotFound
	}
	return nil
}

// SpendStepUp claims the step-up with one conditional UPDATE: of parallel
// spenders exactly one sees it set.
func (s *SessionStore) SpendStepUp(ctx context.Context, id, userID uuid.UUID, now time.Time) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE sessions SET stepped_up_until = NULL
		WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND stepped_up_until > ?`, id, userID, now).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err)
}
