package kyctest

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// The batched reads of the KYC fields of many users (the kyc module's
// UserReads, which this package cannot import: kyc's own tests import
// it), each the single-user read once per user, in the order given.

func (s *Store) ProfilesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Profile, error) {
	var out []kyc.Profile
	for _, id := range distinct(userIDs) {
		if p, err := s.GetProfile(ctx, id); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Store) LatestSubmissionsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Submission, error) {
	var out []kyc.Submission
	for _, id := range distinct(userIDs) {
		if x, err := s.LatestSubmission(ctx, id); err == nil {
			out = append(out, x)
		}
	}
	return out, nil
}

func (s *Store) LabelsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Label, error) {
	return eachUser(ctx, userIDs, s.ListLabels)
}

func (s *Store) LiveDocumentsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Document, error) {
	return eachUser(ctx, userIDs, s.LiveDocuments)
}

func (s *Store) FilesByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.File, error) {
	var out []kyc.File
	for _, id := range distinct(ids) {
		if f, err := s.GetFile(ctx, id); err == nil {
			out = append(out, f)
		}
	}
	return out, nil
}

func (s *Store) DocumentsByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.Document, error) {
	var out []kyc.Document
	for _, id := range distinct(ids) {
		if d, err := s.GetDocument(ctx, id); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *Store) PhonesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.Phone, error) {
	return eachUser(ctx, userIDs, s.ListPhones)
}

func (s *Store) DataRecordsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]kyc.DataRecord, error) {
	return eachUser(ctx, userIDs, s.ListDataRecords)
}

// eachUser concatenates list's answers for each distinct user.
func eachUser[T any](ctx context.Context, userIDs []uuid.UUID,
	list func(context.Context, uuid.UUID) ([]T, error)) ([]T, error) {
	var out []T
	seen := map[uuid.UUID]bool{}
	for _, id := range distinct(userIDs) {
		if seen[id] {
			continue
		}
		seen[id] = true
		rows, err := list(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// distinct is ids without repeats, in order: the database answers an IN
// list with each row once.
func distinct(ids []uuid.UUID) []uuid.UUID {
	seen := make(map[uuid.UUID]bool, len(ids))
	var out []uuid.UUID
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
