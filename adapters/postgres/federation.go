package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/ports"
)

// FederationStore keeps the federation module's linked identities and its
// started flows.
type FederationStore struct{ db *bun.DB }

var (
	_ federation.Identities = (*FederationStore)(nil)
	_ federation.States     = (*FederationStore)(nil)
)

// NewFederationStore returns a store over db.
func NewFederationStore(db *bun.DB) *FederationStore { return &FederationStore{db: db} }

type federatedIdentityRow struct {
	bun.BaseModel `bun:"table:federated_identities"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	UserID        uuid.UUID `bun:"user_id,type:uuid"`
	Provider      string    `bun:"provider"`
	Subject       string    `bun:"subject"`
	Email         string    `bun:"email"`
	EmailVerified bool      `bun:"email_verified"`
	LinkedAt      time.Time `bun:"linked_at"`
	LastUsedAt    time.Time `bun:"last_used_at"`
}

func (r federatedIdentityRow) toPort() federation.Identity {
	return federation.Identity{ID: r.ID, UserID: r.UserID, Provider: r.Provider, Subject: r.Subject, Email: r.Email,
		EmailVerified: r.EmailVerified, LinkedAt: r.LinkedAt, LastUsedAt: r.LastUsedAt}
}

// Link inserts unless (provider, subject) is taken, in one statement: ON
// CONFLICT leaves the caller's transaction usable, and of parallel links
// of one identity exactly one inserts.
func (s *FederationStore) Link(ctx context.Context, id federation.Identity) error {
	row := federatedIdentityRow{ID: id.ID, UserID: id.UserID, Provider: id.Provider, Subject: id.Subject,
		Email: id.Email, EmailVerified: id.EmailVerified, LinkedAt: id.LinkedAt, LastUsedAt: id.LastUsedAt}
	var ids []uuid.UUID
	err := conn(ctx, s.db).NewInsert().Model(&row).On("CONFLICT (provider, subject) DO NOTHING").
		Returning("id").Scan(ctx, &ids)
	if err != nil {
		return mapErr(err)
	}
	if len(ids) == 0 {
		return federation.LinkedElsewhere()
	}
	return nil
}

func (s *FederationStore) Find(ctx context.Context, provider, subject string) (federation.Identity, error) {
	var row federatedIdentityRow
	err := conn(ctx, s.db).NewSelect().Model(&row).Where("provider = ? AND subject = ?", provider, subject).Scan(ctx)
	if err != nil {
		return federation.Identity{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *FederationStore) OfUser(ctx context.Context, userID uuid.UUID) ([]federation.Identity, error) {
	var rows []federatedIdentityRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).Order("linked_at", "id").Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, federatedIdentityRow.toPort), nil
}

func (s *FederationStore) OfUsers(ctx context.Context, userIDs []uuid.UUID) ([]federation.Identity, error) {
	var rows []federatedIdentityRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(userIDs)).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, federatedIdentityRow.toPort), nil
}

func (s *FederationStore) Touch(ctx context.Context, id uuid.UUID, email string, verified bool, at time.Time) error {
	res, err := conn(ctx, s.db).NewUpdate().Model((*federatedIdentityRow)(nil)).
		Set("email = ?, email_verified = ?, last_used_at = ?", email, verified, at).Where("id = ?", id).Exec(ctx)
	return oneRow(res, err)
}

func (s *FederationStore) Unlink(ctx context.Context, userID, id uuid.UUID) error {
	res, err := conn(ctx, s.db).NewDelete().Model((*federatedIdentityRow)(nil)).
		Where("id = ? AND user_id = ?", id, userID).Exec(ctx)
	return oneRow(res, err)
}

type oidcStateRow struct {
	bun.BaseModel `bun:"table:oidc_states"`

	StateHash   []byte     `bun:"state_hash,pk"`
	Provider    string     `bun:"provider"`
	Purpose     string     `bun:"purpose"`
	UserID      *uuid.UUID `bun:"user_id,type:uuid"`
	DeviceKey   string     `bun:"device_key"`
	RedirectURI string     `bun:"redirect_uri"`
	Nonce       string     `bun:"nonce"`
	Verifier    string     `bun:"verifier"`
	ExpiresAt   time.Time  `bun:"expires_at"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// Create forgets the long-expired states and inserts this one in one
// statement, so the table keeps itself small without a janitor.
func (s *FederationStore) Create(ctx context.Context, st federation.State) error {
	var user *uuid.UUID
	if st.UserID != uuid.Nil {
		user = &st.UserID
	}
	_, err := conn(ctx, s.db).NewRaw(`WITH gone AS (
			DELETE FROM oidc_states WHERE expires_at < ?
		)
		INSERT INTO oidc_states (state_hash, provider, purpose, user_id, device_key, redirect_uri, nonce, verifier,
			expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, st.CreatedAt.Add(-federation.StateGrace),
		st.Hash, st.Provider, string(st.Purpose), user, st.DeviceKey, st.RedirectURI, st.Nonce, st.Verifier, st.ExpiresAt,
		st.CreatedAt).Exec(ctx)
	return mapErr(err)
}

// Take deletes the row and returns it, in one statement: of parallel
// takes the row's lock lets one delete it, and the others find nothing.
func (s *FederationStore) Take(ctx context.Context, hash []byte) (federation.State, error) {
	var rows []oidcStateRow
	err := conn(ctx, s.db).NewDelete().Model(&rows).Where("state_hash = ?", hash).Returning("*").Scan(ctx)
	if err != nil {
		return federation.State{}, mapErr(err)
	}
	if len(rows) == 0 {
		return federation.State{}, ports.ErrNotFound
	}
	r := rows[0]
	st := federation.State{Hash: r.StateHash, Provider: r.Provider, Purpose: federation.Purpose(r.Purpose), DeviceKey: r.DeviceKey,
		RedirectURI: r.RedirectURI, Nonce: r.Nonce, Verifier: r.Verifier, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt}
	if r.UserID != nil {
		st.UserID = *r.UserID
	}
	return st, nil
}
