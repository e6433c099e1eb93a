package postgres

import (
	"context"
	"strings"
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

// lockScope names where a scope's lock state lives: the account's on its
// credential row, a trusted device's on its device row.
type lockScope struct{ table, prefix, where string }

var (
	accountScope = lockScope{table: "pin_credentials AS l", prefix: "", where: "l.user_id = ?"}
	deviceScope  = lockScope{table: "devices AS l", prefix: "pin_", where: "l.user_id = ? AND l.id = ?"}
)

// sql fills a statement's {t} (table AS l), {p} (column prefix) and {w}
// (the scope's condition).
func (sc lockScope) sql(q string) string {
	return strings.NewReplacer("{t}", sc.table, "{p}", sc.prefix, "{w}", sc.where).Replace(q)
}

func scopeOf(userID, deviceID uuid.UUID) (lockScope, []any) {
	if deviceID == uuid.Nil {
		return accountScope, []any{userID}
	}
	return deviceScope, []any{userID, deviceID}
}

// ReservePINAttempt is one conditional UPDATE: concurrent tries queue on
// the row lock and each sees the count (and lockout) the previous one left.
func (s *CredentialStore) ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (ports.PINAttempt, error) {
	db := conn(ctx, s.db)
	sc, where := scopeOf(userID, deviceID)
	var rows []struct {
		Hash           string     `bun:"hash"`
		FailedAttempts int        `bun:"failed_attempts"`
		LockedUntil    *time.Time `bun:"locked_until"`
	}
	// The statement text only ever takes the two fixed scopes above.
	q := sc.sql(`
		UPDATE {t} SET
		  {p}failed_attempts = CASE WHEN l.{p}failed_attempts + 1 >= ? THEN 0 ELSE l.{p}failed_attempts + 1 END,
		  {p}lockouts        = CASE WHEN l.{p}failed_attempts + 1 >= ? THEN l.{p}lockouts + 1 ELSE l.{p}lockouts END,
		  {p}locked_until    = CASE WHEN l.{p}failed_attempts + 1 >= ?
		                       THEN ?::timestamptz + LEAST(? * power(2, LEAST(l.{p}lockouts, 20)), ?) * interval '1 second'
		                       ELSE l.{p}locked_until END
		FROM pin_credentials pc
		WHERE {w} AND pc.user_id = l.user_id AND (l.{p}locked_until IS NULL OR l.{p}locked_until <= ?)
		RETURNING pc.hash, l.{p}failed_attempts AS failed_attempts, l.{p}locked_until AS locked_until`)
	args := append([]any{maxAttempts, maxAttempts, maxAttempts, at, lockFor.Seconds(), maxLock.Seconds()}, where...)
	if err := db.NewRaw(q, append(args, at)...).Scan(ctx, &rows); err != nil {
		return ports.PINAttempt{}, mapErr(err)
	}
	if len(rows) == 1 {
		a := ports.PINAttempt{Hash: rows[0].Hash, FailedAttempts: rows[0].FailedAttempts}
		if rows[0].LockedUntil != nil && rows[0].LockedUntil.After(at) {
			a.LockedUntil = rows[0].LockedUntil
		}
		return a, nil
	}
	// No row updated: no PIN, no such device, or locked.
	var locks []*time.Time
	q = sc.sql(
		`SELECT l.{p}locked_until FROM {t} JOIN pin_credentials pc ON pc.user_id = l.user_id WHERE {w}`)
	if err := db.NewRaw(q, where...).Scan(ctx, &locks); err != nil {
		return ports.PINAttempt{}, mapErr(err)
	}
	if len(locks) == 0 {
		return ports.PINAttempt{}, ports.ErrNotFound
	}
	return ports.PINAttempt{Locked: true, LockedUntil: locks[0]}, nil
}

func (s *CredentialStore) ResetPINFailures(ctx context.Context, userID, deviceID uuid.UUID) error {
	sc, where := scopeOf(userID, deviceID)
	q := sc.sql(
		`UPDATE {t} SET {p}failed_attempts = 0, {p}locked_until = NULL, {p}lockouts = 0
		 WHERE {w} AND (l.{p}failed_attempts <> 0 OR l.{p}locked_until IS NOT NULL OR l.{p}lockouts <> 0)`)
	_, err := conn(ctx, s.db).NewRaw(q, where...).Exec(ctx)
	return mapErr(err)
}
