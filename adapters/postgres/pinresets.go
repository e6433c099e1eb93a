package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/pinreset"
)

// PINResetStore keeps the pinreset module's resets.
type PINResetStore struct{ db *bun.DB }

var _ pinreset.Resets = (*PINResetStore)(nil)

// NewPINResetStore returns a store over db.
func NewPINResetStore(db *bun.DB) *PINResetStore { return &PINResetStore{db: db} }

type pinResetRow struct {
	bun.BaseModel `bun:"table:pin_resets"`

	ID           uuid.UUID       `bun:"id,pk,type:uuid"`
	UserID       uuid.UUID       `bun:"user_id,type:uuid"`
	TicketHash   []byte          `bun:"ticket_hash"`
	Status       pinreset.Status `bun:"status"`
	DocumentID   *uuid.UUID      `bun:"document_id,type:uuid"`
	DocUploaded  bool            `bun:"document_uploaded,notnull"`
	SelfieFileID *uuid.UUID      `bun:"selfie_file_id,type:uuid"`
	Reason       string          `bun:"reason"`
	ExpiresAt    time.Time       `bun:"expires_at"`
	CreatedAt    time.Time       `bun:"created_at"`
	DecidedAt    *time.Time      `bun:"decided_at"`
	DecidedBy    *uuid.UUID      `bun:"decided_by,type:uuid"`
	CompletedAt  *time.Time      `bun:"completed_at"`
}

func (r pinResetRow) toPort() pinreset.Reset {
	return pinreset.Reset{ID: r.ID, UserID: r.UserID, TicketHash: r.TicketHash, Status: r.Status,
		DocumentID: r.DocumentID, DocumentUploaded: r.DocUploaded, SelfieFileID: r.SelfieFileID, Reason: r.Reason,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy,
		CompletedAt: r.CompletedAt}
}

func (s *PINResetStore) Create(ctx context.Context, r pinreset.Reset) error {
	row := pinResetRow{ID: r.ID, UserID: r.UserID, TicketHash: r.TicketHash, Status: r.Status,
		DocumentID: r.DocumentID, DocUploaded: r.DocumentUploaded, SelfieFileID: r.SelfieFileID, Reason: r.Reason, ExpiresAt: r.ExpiresAt,
		CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy, CompletedAt: r.CompletedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *PINResetStore) Get(ctx context.Context, id uuid.UUID) (pinreset.Reset, error) {
	var row pinResetRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return pinreset.Reset{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *PINResetStore) FindByTicket(ctx context.Context, ticketHash []byte) (pinreset.Reset, error) {
	var row pinResetRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("ticket_hash = ?", ticketHash).Scan(ctx); err != nil {
		return pinreset.Reset{}, mapErr(err)
	}
	return row.toPort(), nil
}

// Transition is one UPDATE guarded by status IN (from); nil and
// empty fields of c keep the stored values.
func (s *PINResetStore) Transition(ctx context.Context, id uuid.UUID, from []pinreset.Status, c pinreset.Change) (pinreset.Reset, error) {
	if c.Status == "" {
		return pinreset.Reset{}, fmt.Errorf("postgres: a PIN reset transition needs a status")
	}
	db := conn(ctx, s.db)
	const msg = "the PIN reset is not in a state that allows this"
	if len(from) == 0 {
		return pinreset.Reset{}, conflictOrNotFound(ctx, db, "pin_resets", id, msg)
	}
	var rows []pinResetRow
	err := db.NewRaw(`UPDATE pin_resets SET status = ?,
			document_id = COALESCE(?::uuid, document_id),
			document_uploaded = document_uploaded OR ?,
			selfie_file_id = COALESCE(?::uuid, selfie_file_id),
			reason = COALESCE(NULLIF(?, ''), reason),
			decided_at = COALESCE(?::timestamptz, decided_at),
			decided_by = COALESCE(?::uuid, decided_by),
			completed_at = COALESCE(?::timestamptz, completed_at)
		WHERE id = ? AND status IN (?) RETURNING *`,
		c.Status, c.DocumentID, c.DocumentUploaded, c.SelfieFileID, c.Reason, c.DecidedAt, c.DecidedBy, c.CompletedAt,
		id, bun.In(from)).Scan(ctx, &rows)
	if err != nil {
		return pinreset.Reset{}, mapErr(err)
	}
	if len(rows) == 0 {
		return pinreset.Reset{}, conflictOrNotFound(ctx, db, "pin_resets", id, msg)
	}
	return rows[0].toPort(), nil
}

func (s *PINResetStore) OpenOf(ctx context.Context, userID uuid.UUID) ([]pinreset.Reset, error) {
	var rows []pinResetRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		Where("status IN (?)", bun.In(openPINResetStatuses)).OrderExpr("created_at, id").Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, pinResetRow.toPort), nil
}

// openPINResetStatuses are the statuses of a reset still under way.
var openPINResetStatuses = []pinreset.Status{pinreset.DocumentRequired, pinreset.SelfieRequired,
	pinreset.PendingReview, pinreset.Approved}

// List is one keyset query on (created_at, id), oldest first,
// bounded like ListSubmissions.
func (s *PINResetStore) List(ctx context.Context, status pinreset.Status, after *pinreset.Cursor, limit int) ([]pinreset.Reset, error) {
	var rows []pinResetRow
	sel := conn(ctx, s.db).NewSelect().Model(&rows).Where("status = ?", status)
	if after != nil {
		sel = sel.Where("(created_at, id) > (?, ?)", after.CreatedAt, after.ID)
	}
	if err := sel.OrderExpr("created_at, id").Limit(int64(pageLimit(limit))).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, pinResetRow.toPort), nil
}
