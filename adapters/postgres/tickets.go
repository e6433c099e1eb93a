package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/identity"
)

type ticketRow struct {
	bun.BaseModel `bun:"table:tickets"`

	ID         uuid.UUID         `bun:"id,pk,type:uuid"`
	SecretHash []byte            `bun:"secret_hash"`
	Purpose    string            `bun:"purpose"`
	Subject    string            `bun:"subject"`
	Metadata   map[string]string `bun:"metadata,type:jsonb"`
	ExpiresAt  time.Time         `bun:"expires_at"`
	UsedAt     *time.Time        `bun:"used_at"`
	CreatedAt  time.Time         `bun:"created_at"`
}

// TicketStore implements identity.Tickets.
type TicketStore struct{ db *bun.DB }

var _ identity.Tickets = (*TicketStore)(nil)

// NewTicketStore returns a store over db.
func NewTicketStore(db *bun.DB) *TicketStore { return &TicketStore{db: db} }

func (s *TicketStore) Create(ctx context.Context, t identity.Ticket, secretHash []byte) error {
	row := ticketRow{ID: t.ID, SecretHash: secretHash, Purpose: t.Purpose, Subject: t.Subject,
		Metadata: nonNil(t.Metadata), ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *TicketStore) Find(ctx context.Context, secretHash []byte, purpose string) (identity.Ticket, error) {
	var row ticketRow
	err := conn(ctx, s.db).NewSelect().Model(&row).
		Where("secret_hash = ? AND purpose = ? AND used_at IS NULL", secretHash, purpose).Scan(ctx)
	if err != nil {
		return identity.Ticket{}, mapErr(err)
	}
	return row.toPort(), nil
}

// Use is one conditional UPDATE: concurrent users of one ticket queue on
// its row lock and only the first finds used_at still NULL.
func (s *TicketStore) Use(ctx context.Context, secretHash []byte, purpose string, at time.Time) (identity.Ticket, error) {
	var row ticketRow
	err := conn(ctx, s.db).NewUpdate().Model(&row).
		Set("used_at = ?", at).
		Where("secret_hash = ? AND purpose = ? AND used_at IS NULL", secretHash, purpose).
		Returning("*").Scan(ctx)
	if err != nil {
		return identity.Ticket{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (r ticketRow) toPort() identity.Ticket {
	return identity.Ticket{ID: r.ID, Purpose: r.Purpose, Subject: r.Subject, Metadata: r.Metadata,
		ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt, CreatedAt: r.CreatedAt}
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
