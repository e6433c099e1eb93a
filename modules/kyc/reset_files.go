package kyc

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// What the PIN reset by document (modules/pinreset) needs of KYC: the rule
// of an identity document, the document KYC approved, and the encrypted
// upload pipeline for the reset's own document and selfie. Those are kept
// apart from the user's live ones: never in a submission, never shown as
// the user's documents.

// ResetFiles is what the PIN reset by document needs of KYC (pinreset's
// Documents).
type ResetFiles struct {
	files       pipeline
	documents   Documents
	submissions Submissions
	clock       ports.Clock
}

// NewResetFiles returns the PIN reset's documents and files. intents may
// be nil (no orphan sweep).
func NewResetFiles(cfg Config, documents Documents, submissions Submissions, users Users, tx ports.TxRunner,
	clock ports.Clock, blobs ports.BlobStore, intents ports.BlobIntents, log *slog.Logger) *ResetFiles {
	return &ResetFiles{files: pipeline{limits: cfg.Files, documents: documents, users: users, tx: tx, clock: clock,
		blobs: blobs, intents: intents, log: log}, documents: documents, submissions: submissions, clock: clock}
}

// ResetDocument is an identity document uploaded during a PIN reset,
// already checked by CheckIdentityDocument; Back is optional.
type ResetDocument struct {
	UserID       uuid.UUID
	Type, Number string
	Front, Back  *Upload
}

// CheckIdentityDocument checks the type and number of an identity
// document by the rules of a KYC upload and returns the number as kept.
// Errors: VALIDATION_FAILED (type, number).
func (s *ResetFiles) CheckIdentityDocument(typ, number string) (string, error) {
	var typeErr error
	if !isIdentityDoc(typ) {
		typeErr = ports.InvalidField("type", "must be one of "+strings.Join(IdentityDocTypes, ", "))
	}
	n, numberErr := documentNumber("number", number)
	if err := ports.MergeInvalid(typeErr, numberErr); err != nil {
		return "", err
	}
	return n, nil
}

// ApprovedIdentityDocument returns the identity document of the user's
// latest KYC submission when that submission is APPROVED: the only
// document that proves who the user is. A live document that staff never
// approved, an older approval followed by a newer submission, or an
// approved document past its expiry date does not count (false).
func (s *ResetFiles) ApprovedIdentityDocument(ctx context.Context, userID uuid.UUID) (Document, bool, error) {
	sub, err := s.submissions.LatestSubmission(ctx, userID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Document{}, false, nil
	} else if err != nil {
		return Document{}, false, err
	}
	if sub.Status != StatusApproved {
		return Document{}, false, nil
	}
	d, err := s.documents.GetDocument(ctx, sub.DocumentID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Document{}, false, nil
	} else if err != nil {
		return Document{}, false, err
	}
	if d.UserID != userID || !isIdentityDoc(d.Type) || documentExpired(d, s.clock.Now()) {
		return Document{}, false, nil
	}
	return d, true, nil
}

// StoreResetDocument checks both files of d before either is stored,
// stores them (encrypted, see withFiles) and, in one transaction under the
// user's lock, records them and the document, stored already replaced
// (never the user's live document), then runs then with it. Errors:
// VALIDATION_FAILED (front, back), and then's.
func (s *ResetFiles) StoreResetDocument(ctx context.Context, d ResetDocument,
	then func(ctx context.Context, doc Document) error) error {
	front, frontErr := s.files.checkUpload("front", d.Front)
	var back checkedFile
	var backErr error
	if d.Back != nil {
		back, backErr = s.files.checkUpload("back", d.Back)
	}
	if err := ports.MergeInvalid(frontErr, backErr); err != nil {
		return err
	}
	uploads := []fileUpload{{FileDocumentFront, front}}
	if d.Back != nil {
		uploads = append(uploads, fileUpload{FileDocumentBack, back})
	}
	return s.files.withFiles(ctx, d.UserID, uploads, func(ctx context.Context, stored []File) error {
		now := s.clock.Now()
		doc := Document{ID: uuid.New(), UserID: d.UserID, Type: d.Type, Number: d.Number,
			Metadata: json.RawMessage("{}"), FrontFileID: stored[0].ID, CreatedAt: now, ReplacedAt: &now}
		if len(stored) > 1 {
			doc.BackFileID = &stored[1].ID
		}
		if err := s.documents.AddDocument(ctx, doc); err != nil {
			return err
		}
		return then(ctx, doc)
	})
}

// StoreResetSelfie checks a selfie (JPEG or PNG), stores it (encrypted)
// and, in one transaction under the user's lock, records its file (no
// document: it never becomes the user's KYC selfie) and runs then with it.
// Errors: VALIDATION_FAILED (selfie), and then's.
func (s *ResetFiles) StoreResetSelfie(ctx context.Context, userID uuid.UUID, selfie *Upload,
	then func(ctx context.Context, f File) error) error {
	f, err := s.files.checkPhoto("selfie", selfie)
	if err != nil {
		return err
	}
	return s.files.withFiles(ctx, userID, []fileUpload{{FileSelfie, f}}, func(ctx context.Context, stored []File) error {
		return then(ctx, stored[0])
	})
}
