package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
)

// PartnerAppStore keeps the partners module's apps.
type PartnerAppStore struct {
	db *bun.DB
	tx *TxRunner
}

var _ partners.Apps = (*PartnerAppStore)(nil)

// NewPartnerAppStore returns a store over db.
func NewPartnerAppStore(db *bun.DB) *PartnerAppStore {
	return &PartnerAppStore{db: db, tx: NewTxRunner(db)}
}

type partnerAppRow struct {
	bun.BaseModel `bun:"table:partner_apps"`

	ID                      uuid.UUID      `bun:"id,pk,type:uuid"`
	Name                    string         `bun:"name"`
	Scopes                  []string       `bun:"scopes,array"`
	State                   partners.State `bun:"state"`
	SecretHash              []byte         `bun:"secret_hash"`
	PreviousSecretHash      []byte         `bun:"previous_secret_hash"`
	PreviousSecretExpiresAt *time.Time     `bun:"previous_secret_expires_at"`
	CreatedBy               uuid.UUID      `bun:"created_by,type:uuid"`
	CreatedAt               time.Time      `bun:"created_at"`
	SecretRotatedAt         *time.Time     `bun:"secret_rotated_at"`
	DisabledAt              *time.Time     `bun:"disabled_at"`
}

func (r partnerAppRow) toPort() partners.App {
	return partners.App{ID: r.ID, Name: r.Name, Scopes: r.Scopes, State: r.State, SecretHash: r.SecretHash,
		PreviousSecretHash: r.PreviousSecretHash, PreviousSecretExpiresAt: utcPtr(r.PreviousSecretExpiresAt),
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), SecretRotatedAt: utcPtr(r.SecretRotatedAt),
		DisabledAt: utcPtr(r.DisabledAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// partnerAppsLock is the advisory lock that serialises creations, so the
// count before an insert cannot be raced past the limit.
const partnerAppsLock = "gatehouse/partner_apps"

// Create counts and inserts under a transaction-scoped advisory lock.
func (s *PartnerAppStore) Create(ctx context.Context, a partners.App, max int) error {
	row := partnerAppRow{ID: a.ID, Name: a.Name, Scopes: a.Scopes, State: a.State, SecretHash: a.SecretHash,
		PreviousSecretHash: a.PreviousSecretHash, PreviousSecretExpiresAt: a.PreviousSecretExpiresAt,
		CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt, SecretRotatedAt: a.SecretRotatedAt, DisabledAt: a.DisabledAt}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		if _, err := db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", partnerAppsLock); err != nil {
			return mapErr(err)
		}
		n, err := db.NewSelect().Model((*partnerAppRow)(nil)).Count(ctx)
		if err != nil {
			return mapErr(err)
		}
		if n >= int64(max) {
			return ports.Errorf(ports.CodeConflict, "there are %d partner apps already, the most allowed", max)
		}
		_, err = db.NewInsert().Model(&row).Exec(ctx)
		return mapErr(err)
	})
}

func (s *PartnerAppStore) Get(ctx context.Context, id uuid.UUID) (partners.App, error) {
	var row partnerAppRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return partners.App{}, mapErr(err)
	}
	return row.toPort(), nil
}

// List is one keyset query on (created_at, id).
func (s *PartnerAppStore) List(ctx context.Context, after *partners.Cursor, limit int) ([]partners.App, error) {
	var rows []partnerAppRow
	sel := conn(ctx, s.db).NewSelect().Model(&rows)
	if after != nil {
		sel = sel.Where("(created_at, id) > (?, ?)", after.CreatedAt, after.ID)
	}
	if err := sel.OrderExpr("created_at, id").Limit(int64(pageLimit(limit))).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, partnerAppRow.toPort), nil
}

// RotateSecret is one UPDATE guarded by state = 'ACTIVE' and by the secret
// the caller read: of two rotations at once, the second finds the row
// changed when its turn comes and updates nothing.
func (s *PartnerAppStore) RotateSecret(ctx context.Context, id uuid.UUID, from, hash []byte, previousUntil,
	at time.Time) (partners.App, error) {
	db := conn(ctx, s.db)
	var rows []partnerAppRow
	err := db.NewRaw(`UPDATE partner_apps SET previous_secret_hash = secret_hash, previous_secret_expires_at = ?,
			secret_hash = ?, secret_rotated_at = ?
		WHERE id = ? AND state = 'ACTIVE' AND secret_hash = ? RETURNING *`, previousUntil, hash, at, id, from).Scan(ctx, &rows)
	if err != nil {
		return partners.App{}, mapErr(err)
	}
	if len(rows) == 1 {
		return rows[0].toPort(), nil
	}
	var row partnerAppRow
	if err := db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return partners.App{}, mapErr(err)
	}
	if row.State != partners.Active {
		return partners.App{}, stateConflict("the partner app is disabled")
	}
	return partners.App{}, ports.Refusal(ports.CodeConflict, partners.ReasonSecretRotated,
		"the secret was rotated by someone else meanwhile; the partner app's secret is theirs")
}

// Disable is one UPDATE guarded by state = 'ACTIVE'; an app it did not
// change is read as it is.
func (s *PartnerAppStore) Disable(ctx context.Context, id uuid.UUID, at time.Time) (partners.App, error) {
	var rows []partnerAppRow
	err := conn(ctx, s.db).NewRaw(`UPDATE partner_apps SET state = 'DISABLED', disabled_at = ?
		WHERE id = ? AND state = 'ACTIVE' RETURNING *`, at, id).Scan(ctx, &rows)
	if err != nil {
		return partners.App{}, mapErr(err)
	}
	if len(rows) == 0 {
		return s.Get(ctx, id)
	}
	return rows[0].toPort(), nil
}
