package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/ports"
)

// APIKeyStore keeps the apikeys module's keys and their spent nonces.
type APIKeyStore struct{ db *bun.DB }

var (
	_ apikeys.Keys   = (*APIKeyStore)(nil)
	_ apikeys.Nonces = (*APIKeyStore)(nil)
)

// NewAPIKeyStore returns a store over db.
func NewAPIKeyStore(db *bun.DB) *APIKeyStore { return &APIKeyStore{db: db} }

type apiKeyRow struct {
	bun.BaseModel `bun:"table:api_keys"`

	ID           uuid.UUID     `bun:"id,pk,type:uuid"`
	UserID       uuid.UUID     `bun:"user_id,type:uuid"`
	SealedSecret []byte        `bun:"sealed_secret"`
	Scopes       []string      `bun:"scopes,array"`
	State        apikeys.State `bun:"state"`
	CreatedAt    time.Time     `bun:"created_at"`
	UpdatedAt    time.Time     `bun:"updated_at"`
}

func (r apiKeyRow) toPort() apikeys.Key {
	return apikeys.Key{ID: r.ID, UserID: r.UserID, SealedSecret: r.SealedSecret, Scopes: r.Scopes, State: r.State,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Create counts and inserts under the owner's row lock, in a transaction
// of its own (or the caller's): the count runs after the lock is held, in
// a statement of its own, so it sees the keys of whoever held it before.
func (s *APIKeyStore) Create(ctx context.Context, k apikeys.Key, max int) error {
	run := func(ctx context.Context, db bun.IDB) error {
		var one int
		if err := db.NewRaw(`SELECT 1 FROM users WHERE id = ? FOR NO KEY UPDATE`, k.UserID).Scan(ctx, &one); err != nil {
			return mapErr(err)
		}
		n, err := db.NewSelect().Model((*apiKeyRow)(nil)).Where("user_id = ?", k.UserID).Count(ctx)
		if err != nil {
			return mapErr(err)
		}
		if int64(n) >= int64(max) {
			return apikeys.KeyLimitReached(max)
		}
		row := apiKeyRow{ID: k.ID, UserID: k.UserID, SealedSecret: k.SealedSecret, Scopes: k.Scopes, State: k.State,
			CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt}
		_, err = db.NewInsert().Model(&row).Exec(ctx)
		return mapErr(err)
	}
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return run(ctx, tx)
	}
	return mapErr(s.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return run(ctx, tx)
	}))
}

func (s *APIKeyStore) Get(ctx context.Context, id uuid.UUID) (apikeys.Key, error) {
	var row apiKeyRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return apikeys.Key{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *APIKeyStore) OfUser(ctx context.Context, userID uuid.UUID) ([]apikeys.Key, error) {
	var rows []apiKeyRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		Order("created_at", "id").Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]apikeys.Key, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

// Update writes only the fields asked, in one statement, so that two
// changes at once both hold.
func (s *APIKeyStore) Update(ctx context.Context, k apikeys.Key) (apikeys.Key, error) {
	q := conn(ctx, s.db).NewUpdate().Model((*apiKeyRow)(nil)).Set("updated_at = ?", k.UpdatedAt)
	if k.State != "" {
		q = q.Set("state = ?", k.State)
	}
	if k.Scopes != nil {
		q = q.Set("scopes = ?", pgdialect.Array(k.Scopes))
	}
	var rows []apiKeyRow
	if err := q.Where("id = ? AND user_id = ?", k.ID, k.UserID).Returning("*").Scan(ctx, &rows); err != nil {
		return apikeys.Key{}, mapErr(err)
	}
	if len(rows) == 0 {
		return apikeys.Key{}, ports.ErrNotFound
	}
	return rows[0].toPort(), nil
}

func (s *APIKeyStore) Delete(ctx context.Context, userID, id uuid.UUID) error {
	res, err := conn(ctx, s.db).NewDelete().Model((*apiKeyRow)(nil)).
		Where("id = ? AND user_id = ?", id, userID).Exec(ctx)
	return oneRow(res, err)
}

// Spend forgets the key's expired nonces and records this one in one
// statement; the primary key settles parallel spends of one nonce (ON
// CONFLICT DO NOTHING: the losers insert nothing and are told so).
// The janitor sweeps the nonces of keys no longer used.
func (s *APIKeyStore) Spend(ctx context.Context, keyID uuid.UUID, nonce int64, expires, now time.Time) (bool, error) {
	var inserted []int
	err := conn(ctx, s.db).NewRaw(`WITH gone AS (
			DELETE FROM api_key_nonces WHERE key_id = ? AND expires_at < ?
		)
		INSERT INTO api_key_nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (key_id, nonce) DO NOTHING RETURNING 1`, keyID, now, keyID, nonce, expires).Scan(ctx, &inserted)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23503" {
		// foreign_key_violation: the key was deleted since the request
		// read it.
		return false, ports.ErrNotFound
	} else if err != nil {
		return false, mapErr(err)
	}
	return len(inserted) == 1, nil
}

func oneRow(res sql.Result, err error) error {
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ports.ErrNotFound
	}
	return nil
}
