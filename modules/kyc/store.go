package kyc

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// UserReads reads, for many users at once, what the KYC fields of a user
// show (adapters/postgres, or portsfake's KYCStore): one statement per
// method whatever the number of users, so a page of users costs the same
// as one user. Users without rows are simply absent from the answer.
type UserReads interface {
	// ProfilesByUsers returns the users' profiles.
	ProfilesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.Profile, error)
	// LatestSubmissionsByUsers returns each user's newest submission (by
	// SubmittedAt, then ID), as LatestSubmission does.
	LatestSubmissionsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.KYCSubmission, error)
	// LabelsByUsers returns the users' labels, each user's ordered by key.
	LabelsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.Label, error)
	// LiveDocumentsByUsers returns the users' live documents (selfies
	// included), each user's ordered by type.
	LiveDocumentsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.Document, error)
	// FilesByIDs returns the file records with these ids.
	FilesByIDs(ctx context.Context, ids []uuid.UUID) ([]ports.KYCFile, error)
	// PhonesByUsers returns the users' numbers, each user's oldest first.
	PhonesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.KYCPhone, error)
	// DataRecordsByUsers returns the users' data records, each user's
	// ordered by title.
	DataRecordsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.DataRecord, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): the one source of truth for roles, so the service
// keeps no role lists of its own, only the owner rules.
type Rules interface {
	Allowed(role, operation string) bool
}
