package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// --- submissions

type submissionRow struct {
	bun.BaseModel `bun:"table:kyc_submissions"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID      uuid.UUID  `bun:"user_id,type:uuid"`
	Status      kyc.Status `bun:"status"`
	Country     string     `bun:"country"`
	DocumentID  uuid.UUID  `bun:"document_id,type:uuid"`
	SelfieID    uuid.UUID  `bun:"selfie_id,type:uuid"`
	SubmittedAt time.Time  `bun:"submitted_at"`
	DecidedAt   *time.Time `bun:"decided_at"`
	DecidedBy   *uuid.UUID `bun:"decided_by,type:uuid"`
	Reason      string     `bun:"reason"`
}

func (r submissionRow) toPort() kyc.Submission {
	return kyc.Submission{ID: r.ID, UserID: r.UserID, Status: r.Status, Country: r.Country,
		DocumentID: r.DocumentID, SelfieID: r.SelfieID, SubmittedAt: r.SubmittedAt, DecidedAt: r.DecidedAt,
		DecidedBy: r.DecidedBy, Reason: r.Reason}
}

// CreateSubmission inserts x (status PENDING when empty); a second
// PENDING one of the user violates kyc_submissions_pending_idx, a
// CONFLICT.
func (s *KYCStore) CreateSubmission(ctx context.Context, x kyc.Submission) error {
	if x.Status == "" {
		x.Status = kyc.StatusPending
	}
	row := submissionRow{ID: x.ID, UserID: x.UserID, Status: x.Status, Country: x.Country, DocumentID: x.DocumentID,
		SelfieID: x.SelfieID, SubmittedAt: x.SubmittedAt, DecidedAt: x.DecidedAt, DecidedBy: x.DecidedBy,
		Reason: x.Reason}
	// Guarded: kyc_submissions_pending_idx would otherwise abort the
	// caller's transaction along with the CONFLICT.
	return guarded(ctx, s.db, func(db bun.IDB) error {
		_, err := db.NewInsert().Model(&row).Exec(ctx)
		return mapErr(err)
	})
}

func (s *KYCStore) GetSubmission(ctx context.Context, id uuid.UUID) (kyc.Submission, error) {
	var row submissionRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return kyc.Submission{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *KYCStore) LatestSubmission(ctx context.Context, userID uuid.UUID) (kyc.Submission, error) {
	var row submissionRow
	err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ?", userID).
		OrderExpr("submitted_at DESC, id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return kyc.Submission{}, mapErr(err)
	}
	return row.toPort(), nil
}

// ListSubmissions is one keyset query on (submitted_at, id), oldest first;
// the cursor row itself is not repeated. The limit is bounded to 1000
// (100 when not positive).
func (s *KYCStore) ListSubmissions(ctx context.Context, q kyc.SubmissionQuery) ([]kyc.Submission, error) {
	var rows []submissionRow
	sel := conn(ctx, s.db).NewSelect().Model(&rows)
	if q.Status != "" {
		sel = sel.Where("status = ?", q.Status)
	}
	if q.Country != "" {
		sel = sel.Where("country = ?", q.Country)
	}
	if q.From != nil {
		sel = sel.Where("submitted_at >= ?", *q.From)
	}
	if q.To != nil {
		sel = sel.Where("submitted_at < ?", *q.To)
	}
	if q.After != nil {
		sel = sel.Where("(submitted_at, id) > (?, ?)", q.After.SubmittedAt, q.After.ID)
	}
	if err := sel.OrderExpr("submitted_at, id").Limit(int64(pageLimit(q.Limit))).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, submissionRow.toPort), nil
}

// DecideSubmission is one UPDATE guarded by status = 'PENDING': of
// concurrent decisions the first takes the row lock and the others, on
// re-checking the row, find it decided and update nothing (CONFLICT).
func (s *KYCStore) DecideSubmission(ctx context.Context, id uuid.UUID, status kyc.Status, reason string, by uuid.UUID, at time.Time) (kyc.Submission, error) {
	if status != kyc.StatusApproved && status != kyc.StatusRejected {
		return kyc.Submission{}, fmt.Errorf("postgres: a decision must be APPROVED or REJECTED, not %q", status)
	}
	db := conn(ctx, s.db)
	var rows []submissionRow
	err := db.NewRaw(`UPDATE kyc_submissions SET status = ?, reason = ?, decided_at = ?, decided_by = ?
		WHERE id = ? AND status = 'PENDING' RETURNING *`, status, reason, at, by, id).Scan(ctx, &rows)
	if err != nil {
		return kyc.Submission{}, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.Submission{}, conflictOrNotFound(ctx, db, "kyc_submissions", id, "the submission is already decided")
	}
	return rows[0].toPort(), nil
}
