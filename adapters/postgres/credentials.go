package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

type pinRow struct {
	bun.BaseModel `bun:"table:pin_credentials"`

	UserID         uuid.UUID  `bun:"user_id,pk,type:uuid"`
	Hash           string     `bun:"hash"`
	FailedAttempts int        `bun:"failed_attempts"`
	LockedUntil    *time.Time `bun:"locked_until"`
	Lockouts       int        `bun:"lockouts"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

// CredentialStore implements ports.CredentialStore: the only code that
// reads secret hashes.
type CredentialStore struct{ db *bun.DB }

var _ ports.CredentialStore = (*CredentialStore)(nil)

// NewCredentialStore returns a store over db.
func NewCredentialStore(db *bun.DB) *CredentialStore { return &CredentialStore{db: db} }

func (s *CredentialStore) GetPIN(ctx context.Context, userID uuid.UUID) (ports.PINCredential, error) {
	var r pinRow
	if err := conn(ctx, s.db).NewSelect().Model(&r).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return ports.PINCredential{}, mapErr(err)
	}
	return ports.PINCredential{UserID: r.UserID, Hash: r.Hash, FailedAttempts: r.FailedAttempts,
		LockedUntil: r.LockedUntil, Lockouts: r.Lockouts, UpdatedAt: r.UpdatedAt}, nil
}

func (s *CredentialStore) CreatePIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	return s.writePIN(ctx, `INSERT INTO pin_credentials (user_id, hash, updated_at) VALUES (?, ?, ?)`, userID, hash, at)
}

func (s *CredentialStore) SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	return s.writePIN(ctx, `
		INSERT INTO pin_credentials (user_id, hash, failed_attempts, locked_until, lockouts, updated_at)
		VALUES (?, ?, 0, NULL, 0, ?)
		ON CONFLICT (user_id) DO UPDATE
		SET hash = EXCLUDED.hash, failed_attempts = 0, locked_until = NULL, lockouts = 0, updated_at = EXCLUDED.updated_at`,
		userID, hash, at)
}

// writePIN runs query (user id, hash, time) and appends the hash to the
// history, in the caller's transaction.
func (s *CredentialStore) writePIN(ctx context.Context, query string, userID uuid.UUID, hash string, at time.Time) error {
	db := conn(ctx, s.db)
	if _, err := db.NewRaw(query, userID, hash, at).Exec(ctx); err != nil {
		return mapErr(err)
	}
	_, err := db.NewRaw(`INSERT INTO pin_history (user_id, hash, created_at) VALUES (?, ?, ?)`,
		userID, hash, at).Exec(ctx)
	return mapErr(err)
}

func (s *CredentialStore) RecentPINHashes(ctx context.Context, userID uuid.UUID, n int) ([]string, error) {
	var hashes []string
	err := conn(ctx, s.db).NewRaw(
		`SELECT hash FROM pin_history WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, n).
		Scan(ctx, &hashes)
	return hashes, mapErr(err)
}

// ReservePINAttempt is one conditional UPDATE: concurrent tries queue on
// the row lock and each sees the count (and lockout) the previous one left.
func (s *CredentialStore) ReservePINAttempt(ctx context.Context, userID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (ports.PINAttempt, error) {
	db := conn(ctx, s.db)
	var rows []struct {
		Hash           string     `bun:"hash"`
		FailedAttempts int        `bun:"failed_attempts"`
		LockedUntil    *time.Time `bun:"locked_until"`
	}
	err := db.NewRaw(`
		UPDATE pin_credentials SET
		  failed_attempts = CASE WHEN failed_attempts + 1 >= ? THEN 0 ELSE failed_attempts + 1 END,
		  lockouts        = CASE WHEN failed_attempts + 1 >= ? THEN lockouts + 1 ELSE lockouts END,
		  locked_until    = CASE WHEN failed_attempts + 1 >= ?
		                    THEN ?::timestamptz + LEAST(? * power(2, LEAST(lockouts, 20)), ?) * interval '1 second'
		                    ELSE locked_until END
		WHERE user_id = ? AND (locked_until IS NULL OR locked_until <= ?)
		RETURNING hash, failed_attempts, locked_until`,
		maxAttempts, maxAttempts, maxAttempts, at, lockFor.Seconds(), maxLock.Seconds(), userID, at).
		Scan(ctx, &rows)
	if err != nil {
		return ports.PINAttempt{}, mapErr(err)
	}
	if len(rows) == 1 {
		a := ports.PINAttempt{Hash: rows[0].Hash, FailedAttempts: rows[0].FailedAttempts}
		if rows[0].LockedUntil != nil && rows[0].LockedUntil.After(at) {
			a.LockedUntil = rows[0].LockedUntil
		}
		return a, nil
	}
	// No row updated: no PIN at all, or locked.
	c, err := s.GetPIN(ctx, userID)
	if err != nil {
		return ports.PINAttempt{}, err
	}
	return ports.PINAttempt{Locked: true, LockedUntil: c.LockedUntil}, nil
}

func (s *CredentialStore) ResetPINFailures(ctx context.Context, userID uuid.UUID) error {
	_, err := conn(ctx, s.db).NewRaw(
		`UPDATE pin_credentials SET failed_attempts = 0, locked_until = NULL, lockouts = 0
		 WHERE user_id = ? AND (failed_attempts <> 0 OR locked_until IS NOT NULL OR lockouts <> 0)`, userID).Exec(ctx)
	return mapErr(err)
}
