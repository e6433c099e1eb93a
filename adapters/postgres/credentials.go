package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/identity"
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

// CredentialStore implements identity's PINs, Passwords, TOTPs and
// CredentialEraser: the only code that reads secret hashes.
type CredentialStore struct{ db *bun.DB }

var (
	_ identity.PINs             = (*CredentialStore)(nil)
	_ identity.Passwords        = (*CredentialStore)(nil)
	_ identity.TOTPs            = (*CredentialStore)(nil)
	_ identity.CredentialEraser = (*CredentialStore)(nil)
)

// NewCredentialStore returns a store over db.
func NewCredentialStore(db *bun.DB) *CredentialStore { return &CredentialStore{db: db} }

func (s *CredentialStore) GetPIN(ctx context.Context, userID uuid.UUID) (identity.PINCredential, error) {
	var r pinRow
	if err := conn(ctx, s.db).NewSelect().Model(&r).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return identity.PINCredential{}, mapErr(err)
	}
	return identity.PINCredential{UserID: r.UserID, Hash: r.Hash, FailedAttempts: r.FailedAttempts,
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
// credential row, a trusted device's on its device row, the password's on
// its own row. cred is the table holding the hash when it is not l itself.
type lockScope struct{ table, prefix, where, cred string }

var (
	accountScope  = lockScope{table: "pin_credentials AS l", prefix: "", where: "l.user_id = ?", cred: "pin_credentials"}
	deviceScope   = lockScope{table: "devices AS l", prefix: "pin_", where: "l.user_id = ? AND l.id = ?", cred: "pin_credentials"}
	passwordScope = lockScope{table: "password_credentials AS l", prefix: "", where: "l.user_id = ?"}
	// A trusted device's wrong passwords count on its row, apart from
	// strangers' (the password row), as for PINs.
	passwordDeviceScope = lockScope{table: "devices AS l", prefix: "pw_", where: "l.user_id = ? AND l.id = ?", cred: "password_credentials"}
)

// sql fills a statement's {t} (table AS l), {p} (column prefix), {w} (the
// scope's condition), and where the hash comes from: {from} and {on} join
// the credential table as pc in an UPDATE, {join} in a SELECT, {h} is the
// hash column (l.hash when the scope's row holds it).
func (sc lockScope) sql(q string) string {
	from, on, join, hash := "", "", "", "l.hash"
	if sc.cred != "" {
		from, on, hash = "FROM "+sc.cred+" pc", " AND pc.user_id = l.user_id", "pc.hash"
		join = "JOIN " + sc.cred + " pc ON pc.user_id = l.user_id"
	}
	return strings.NewReplacer("{t}", sc.table, "{p}", sc.prefix, "{w}", sc.where,
		"{from}", from, "{on}", on, "{join}", join, "{h}", hash).Replace(q)
}

func scopeOf(userID, deviceID uuid.UUID) (lockScope, []any) {
	if deviceID == uuid.Nil {
		return accountScope, []any{userID}
	}
	return deviceScope, []any{userID, deviceID}
}

func passwordScopeOf(userID, deviceID uuid.UUID) (lockScope, []any) {
	if deviceID == uuid.Nil {
		return passwordScope, []any{userID}
	}
	return passwordDeviceScope, []any{userID, deviceID}
}

func (s *CredentialStore) ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	sc, where := scopeOf(userID, deviceID)
	return s.reserveAttempt(ctx, sc, where, at, maxAttempts, lockFor, maxLock)
}

func (s *CredentialStore) ReservePasswordAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	sc, where := passwordScopeOf(userID, deviceID)
	return s.reserveAttempt(ctx, sc, where, at, maxAttempts, lockFor, maxLock)
}

// reserveAttempt is one statement, whatever the outcome: a conditional
// UPDATE (concurrent tries queue on the row lock and each sees the count
// and lockout the previous one left) and, when it updated nothing, the
// scope's row as it stood, to tell a lock from no row at all. An unknown
// account, a wrong secret and a lock thus cost the database the same
// statement (README "Lockout").
//
// The try that reaches maxAttempts starts the lockout at once but leaves
// the count at maxAttempts: the lock is pending on the tries in flight,
// until confirmLock (a wrong one) zeroes the count or resetFailures (a
// right one) lifts it. A count left at maxAttempts under an expired lock
// (its tries never came back) starts afresh.
func (s *CredentialStore) reserveAttempt(ctx context.Context, sc lockScope, where []any, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	db := conn(ctx, s.db)
	var rows []struct {
		Updated        bool       `bun:"updated"`
		Hash           string     `bun:"hash"`
		FailedAttempts int        `bun:"failed_attempts"`
		LockedUntil    *time.Time `bun:"locked_until"`
	}
	// The statement text only ever takes the four fixed scopes above.
	// {n} is this try's count: a count left standing starts afresh.
	q := sc.sql(strings.ReplaceAll(`
		WITH tried AS (
		  UPDATE {t} SET
		    {p}failed_attempts = {n},
		    {p}lockouts        = CASE WHEN {n} >= ? THEN l.{p}lockouts + 1 ELSE l.{p}lockouts END,
		    {p}locked_until    = CASE WHEN {n} >= ?
		                         THEN ?::timestamptz + LEAST(? * power(2, LEAST(l.{p}lockouts, 20)), ?) * interval '1 second'
		                         ELSE l.{p}locked_until END
		  {from}
		  WHERE {w}{on} AND (l.{p}locked_until IS NULL OR l.{p}locked_until <= ?)
		  RETURNING {h} AS hash, l.{p}failed_attempts AS failed_attempts, l.{p}locked_until AS locked_until
		), held AS (
		  SELECT l.{p}failed_attempts AS failed_attempts, l.{p}locked_until AS locked_until FROM {t} {join} WHERE {w}
		)
		SELECT true AS updated, hash, failed_attempts, locked_until FROM tried
		UNION ALL
		SELECT false, '', failed_attempts, locked_until FROM held WHERE NOT EXISTS (SELECT 1 FROM tried)`,
		"{n}", "(CASE WHEN l.{p}failed_attempts >= ? THEN 0 ELSE l.{p}failed_attempts END + 1)"))
	m := maxAttempts
	args := append([]any{m, m, m, m, m, at, lockFor.Seconds(), maxLock.Seconds()}, where...)
	args = append(append(args, at), where...)
	if err := db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return identity.PINAttempt{}, mapErr(err)
	}
	switch {
	case len(rows) == 0:
		// No secret, or no such device.
		return identity.PINAttempt{}, ports.ErrNotFound
	case rows[0].Updated:
		a := identity.PINAttempt{Hash: rows[0].Hash, FailedAttempts: rows[0].FailedAttempts}
		if rows[0].LockedUntil != nil && rows[0].LockedUntil.After(at) {
			a.LockedUntil = rows[0].LockedUntil
		}
		return a, nil
	}
	// The row is there but the UPDATE passed it by: locked. held reads the
	// statement's snapshot, so a lock set by a try that committed while
	// this one waited for the row shows as no lock at all: that one, like
	// a count left standing, is a lock pending on tries in flight.
	r := rows[0]
	a := identity.PINAttempt{Locked: true}
	if r.LockedUntil != nil && r.LockedUntil.After(at) {
		a.LockedUntil = r.LockedUntil
	}
	a.Pending = r.FailedAttempts > 0 || a.LockedUntil == nil
	return a, nil
}

func (s *CredentialStore) ConfirmPINLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error {
	sc, where := scopeOf(userID, deviceID)
	return s.confirmLock(ctx, sc, where, at)
}

func (s *CredentialStore) ConfirmPasswordLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error {
	sc, where := passwordScopeOf(userID, deviceID)
	return s.confirmLock(ctx, sc, where, at)
}

// confirmLock turns a pending lock into a lock: the count goes to zero, so
// the tries refused meanwhile stop waiting for it. Anything else is left.
func (s *CredentialStore) confirmLock(ctx context.Context, sc lockScope, where []any, at time.Time) error {
	q := sc.sql(`UPDATE {t} SET {p}failed_attempts = 0 WHERE {w} AND l.{p}failed_attempts > 0 AND l.{p}locked_until > ?`)
	_, err := conn(ctx, s.db).NewRaw(q, append(where, at)...).Exec(ctx)
	return mapErr(err)
}

func (s *CredentialStore) ResetPINFailures(ctx context.Context, userID, deviceID uuid.UUID) error {
	sc, where := scopeOf(userID, deviceID)
	return s.resetFailures(ctx, sc, where)
}

func (s *CredentialStore) ResetPasswordFailures(ctx context.Context, userID, deviceID uuid.UUID) error {
	sc, where := passwordScopeOf(userID, deviceID)
	return s.resetFailures(ctx, sc, where)
}

func (s *CredentialStore) resetFailures(ctx context.Context, sc lockScope, where []any) error {
	q := sc.sql(
		`UPDATE {t} SET {p}failed_attempts = 0, {p}locked_until = NULL, {p}lockouts = 0
		 WHERE {w} AND (l.{p}failed_attempts <> 0 OR l.{p}locked_until IS NOT NULL OR l.{p}lockouts <> 0)`)
	_, err := conn(ctx, s.db).NewRaw(q, where...).Exec(ctx)
	return mapErr(err)
}

func (s *CredentialStore) SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`
		INSERT INTO password_credentials (user_id, hash, failed_attempts, locked_until, lockouts, updated_at)
		VALUES (?, ?, 0, NULL, 0, ?)
		ON CONFLICT (user_id) DO UPDATE
		SET hash = EXCLUDED.hash, failed_attempts = 0, locked_until = NULL, lockouts = 0, updated_at = EXCLUDED.updated_at`,
		userID, hash, at).Exec(ctx)
	return mapErr(err)
}

type totpRow struct {
	bun.BaseModel `bun:"table:totp_credentials"`

	UserID       uuid.UUID  `bun:"user_id,pk,type:uuid"`
	SealedSecret []byte     `bun:"sealed_secret"`
	ConfirmedAt  *time.Time `bun:"confirmed_at"`
	LastStep     int64      `bun:"last_step"`
	CreatedAt    time.Time  `bun:"created_at"`
}

type recoveryCodeRow struct {
	bun.BaseModel `bun:"table:recovery_codes"`

	UserID    uuid.UUID  `bun:"user_id,pk,type:uuid"`
	Digest    []byte     `bun:"digest,pk"`
	UsedAt    *time.Time `bun:"used_at"`
	CreatedAt time.Time  `bun:"created_at"`
}

func (s *CredentialStore) GetTOTP(ctx context.Context, userID uuid.UUID) (identity.TOTPCredential, error) {
	var r totpRow
	if err := conn(ctx, s.db).NewSelect().Model(&r).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return identity.TOTPCredential{}, mapErr(err)
	}
	return identity.TOTPCredential{UserID: r.UserID, SealedSecret: r.SealedSecret, ConfirmedAt: r.ConfirmedAt,
		LastStep: r.LastStep, CreatedAt: r.CreatedAt}, nil
}

// PutPendingTOTP is one upsert whose update only touches an unconfirmed
// row: no row written means TOTP is already enabled.
func (s *CredentialStore) PutPendingTOTP(ctx context.Context, userID uuid.UUID, sealedSecret []byte, at time.Time) error {
	res, err := conn(ctx, s.db).NewRaw(`
		INSERT INTO totp_credentials (user_id, sealed_secret, confirmed_at, last_step, created_at)
		VALUES (?, ?, NULL, 0, ?)
		ON CONFLICT (user_id) DO UPDATE
		SET sealed_secret = EXCLUDED.sealed_secret, last_step = 0, created_at = EXCLUDED.created_at
		WHERE totp_credentials.confirmed_at IS NULL`,
		userID, sealedSecret, at).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ports.ErrConflict
	}
	return nil
}

func (s *CredentialStore) ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, recoveryDigests [][]byte, at time.Time) error {
	return NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		res, err := db.NewRaw(`UPDATE totp_credentials SET confirmed_at = ?, last_step = ?
			WHERE user_id = ? AND confirmed_at IS NULL`, at, step, userID).Exec(ctx)
		if err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ports.ErrNotFound
		}
		return s.replaceRecoveryCodes(ctx, userID, recoveryDigests, at)
	})
}

// replaceRecoveryCodes deletes the user's codes and stores digests, in the
// caller's transaction.
func (s *CredentialStore) replaceRecoveryCodes(ctx context.Context, userID uuid.UUID, digests [][]byte, at time.Time) error {
	db := conn(ctx, s.db)
	if _, err := db.NewRaw(`DELETE FROM recovery_codes WHERE user_id = ?`, userID).Exec(ctx); err != nil {
		return mapErr(err)
	}
	if len(digests) == 0 {
		return nil
	}
	rows := make([]recoveryCodeRow, len(digests))
	for i, d := range digests {
		rows[i] = recoveryCodeRow{UserID: userID, Digest: d, CreatedAt: at}
	}
	_, err := db.NewInsert().Model(&rows).Exec(ctx)
	return mapErr(err)
}

// UseTOTPStep is one conditional UPDATE, so of two concurrent uses of one
// code only one succeeds.
func (s *CredentialStore) UseTOTPStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE totp_credentials SET last_step = ?
		WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?`, step, userID, step).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (s *CredentialStore) DeleteTOTP(ctx context.Context, userID uuid.UUID) error {
	return s.deleteFrom(ctx, userID, "totp_credentials", "recovery_codes")
}

func (s *CredentialStore) UseRecoveryCode(ctx context.Context, userID uuid.UUID, digest []byte, at time.Time) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE recovery_codes SET used_at = ?
		WHERE user_id = ? AND digest = ? AND used_at IS NULL`, at, userID, digest).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (s *CredentialStore) RecoveryCodesLeft(ctx context.Context, userID uuid.UUID) (int, error) {
	var n int
	err := conn(ctx, s.db).NewRaw(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`,
		userID).Scan(ctx, &n)
	return n, mapErr(err)
}

func (s *CredentialStore) DeleteAll(ctx context.Context, userID uuid.UUID) error {
	return s.deleteFrom(ctx, userID,
		"pin_credentials", "pin_history", "password_credentials", "totp_credentials", "recovery_codes")
}

// deleteFrom deletes the user's rows from each table (fixed names only),
// in one transaction.
func (s *CredentialStore) deleteFrom(ctx context.Context, userID uuid.UUID, tables ...string) error {
	return NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		for _, t := range tables {
			if _, err := conn(ctx, s.db).NewRaw(`DELETE FROM `+t+` WHERE user_id = ?`, userID).Exec(ctx); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}
