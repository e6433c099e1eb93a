package postgres

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// The batched reads of the KYC fields of many users (kyc.UserReads), one
// statement each, in the order of the single-user reads they stand for.

var _ kyc.UserReads = (*KYCStore)(nil)

// selectIn reads the rows of model whose column is one of ids, in order.
func selectIn[R any](ctx context.Context, db bun.IDB, column string, ids []uuid.UUID, order string) ([]R, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []R
	if err := db.NewSelect().Model(&rows).Where("? IN (?)", bun.Ident(column), bun.In(ids)).
		OrderExpr(order).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return rows, nil
}

func (s *KYCStore) ProfilesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Profile, error) {
	rows, err := selectIn[profileRow](ctx, conn(ctx, s.db), "user_id", userIDs, "user_id")
	return mapRows(rows, profileRow.toPort), err
}

// LatestSubmissionsByUsers is one DISTINCT ON: each user's newest by
// (submitted_at, id), as LatestSubmission orders them.
func (s *KYCStore) LatestSubmissionsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Submission, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var rows []submissionRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).DistinctOn("user_id").
		Where("user_id IN (?)", bun.In(userIDs)).OrderExpr("user_id, submitted_at DESC, id DESC").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, submissionRow.toPort), nil
}

func (s *KYCStore) LabelsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Label, error) {
	rows, err := selectIn[labelRow](ctx, conn(ctx, s.db), "user_id", userIDs, `user_id, key COLLATE "C"`)
	return mapRows(rows, labelRow.toPort), err
}

func (s *KYCStore) LiveDocumentsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Document, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var rows []documentRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id IN (?) AND replaced_at IS NULL", bun.In(userIDs)).
		OrderExpr(`user_id, type COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, documentRow.toPort), nil
}

func (s *KYCStore) FilesByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.File, error) {
	rows, err := selectIn[fileRow](ctx, conn(ctx, s.db), "id", ids, "id")
	return mapRows(rows, fileRow.toPort), err
}

func (s *KYCStore) DocumentsByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.Document, error) {
	rows, err := selectIn[documentRow](ctx, conn(ctx, s.db), "id", ids, "id")
	return mapRows(rows, documentRow.toPort), err
}

func (s *KYCStore) PhonesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Phone, error) {
	rows, err := selectIn[phoneRow](ctx, conn(ctx, s.db), "user_id", userIDs, "user_id, created_at, id")
	return mapRows(rows, phoneRow.toPort), err
}

func (s *KYCStore) DataRecordsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.DataRecord, error) {
	rows, err := selectIn[dataRecordRow](ctx, conn(ctx, s.db), "user_id", userIDs, `user_id, title COLLATE "C"`)
	return mapRows(rows, dataRecordRow.toPort), err
}
