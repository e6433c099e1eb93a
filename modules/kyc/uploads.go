package kyc

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/ports"
)

// Uploads is the user's uploads of their identity documents and selfie,
// which keep the review in step (see queue.resubmit), and the sweep of
// the objects whose uploads never committed.
type Uploads struct {
	trail
	callers   ports.CallerSource
	files     pipeline
	documents Documents
	queue     queue
	limiter   ports.RateLimiter
	perHour   int
	clock     ports.Clock
}

// NewUploads returns the upload use cases. intents may be nil (no orphan
// sweep).
func NewUploads(cfg Config, documents Documents, profiles Profiles, submissions Submissions, users Users,
	callers ports.CallerSource, tx ports.TxRunner, clock ports.Clock, blobs ports.BlobStore,
	intents ports.BlobIntents, limiter ports.RateLimiter, activities ports.ActivityLog, log *slog.Logger) *Uploads {
	return &Uploads{trail: trail{activities: activities, clock: clock, log: log}, callers: callers,
		files: pipeline{limits: cfg.Files, documents: documents, users: users, tx: tx, clock: clock, blobs: blobs,
			intents: intents, log: log},
		documents: documents,
		queue: queue{profiles: profiles, documents: documents, submissions: submissions, activities: activities,
			clock: clock},
		limiter: limiter, perHour: cfg.UploadsPerHour, clock: clock}
}

// DocumentInput is an identity or address document upload.
type DocumentInput struct {
	Type      string // NATIONAL_ID, PASSPORT, DRIVER_LICENSE, RESIDENCE_PERMIT, UTILITY_BILL
	Number    string // see documentNumber
	ExpiresOn string // YYYY-MM-DD, not past; empty when it does not expire
	Front     *Upload
	Back      *Upload // optional
	Metadata  map[string]any
}

// UploadDocument stores a document (both files checked before either is
// stored) as the user's live document of its type and, in the same
// transaction, keeps the review in step (see resubmit): a complete set is
// submitted, a PENDING submission of another document is superseded, and
// a new identity document after an approval is reviewed again. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED (fields type, number, expiresOn, front, back,
// metadata), RATE_LIMITED.
func (s *Uploads) UploadDocument(ctx context.Context, in DocumentInput) (DocumentView, error) {
	c, err := signedIn(ctx, s.callers)
	if err != nil {
		return DocumentView{}, err
	}
	now := s.clock.Now()
	doc := Document{ID: uuid.New(), UserID: c.UserID, CreatedAt: now}
	var errs []error
	if in.Type == DocSelfie || (!isIdentityDoc(in.Type) && in.Type != DocUtilityBill) {
		errs = append(errs, ports.InvalidField("type", "is not a document type"))
	}
	doc.Type = in.Type
	doc.Number, err = documentNumber("number", in.Number)
	errs = append(errs, err)
	if doc.ExpiresOn, err = expiryDate("expiresOn", in.ExpiresOn, now); err != nil {
		errs = append(errs, err)
	}
	doc.Metadata, err = jsonobj.Encode("metadata", in.Metadata, maxMetadataBytes)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return DocumentView{}, err
	}
	if err := s.allowUpload(ctx, c.UserID); err != nil {
		return DocumentView{}, err
	}
	front, err := s.files.checkUpload("front", in.Front)
	errs = []error{err}
	var back *checkedFile
	if in.Back != nil {
		b, err := s.files.checkUpload("back", in.Back)
		errs = append(errs, err)
		back = &b
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		s.record(ctx, &c.UserID, "document.upload", err, map[string]string{"type": doc.Type})
		return DocumentView{}, err
	}
	uploads := []fileUpload{{FileDocumentFront, front}}
	if back != nil {
		uploads = append(uploads, fileUpload{FileDocumentBack, *back})
	}
	var files []File
	err = s.files.withFiles(ctx, c.UserID, uploads, func(ctx context.Context, stored []File) error {
		files = stored
		doc.FrontFileID = stored[0].ID
		if len(stored) > 1 {
			doc.BackFileID = &stored[1].ID
		}
		if err := s.documents.ReplaceDocument(ctx, doc); err != nil {
			return err
		}
		return s.queue.resubmit(ctx, c.UserID)
	})
	details := map[string]string{"type": doc.Type, "document": doc.ID.String()}
	s.record(ctx, &c.UserID, "document.upload", err, details)
	if err != nil {
		return DocumentView{}, err
	}
	// The files are the caller's own: no link (see viewer.fileView).
	v := DocumentView{Document: doc, Front: FileView{File: files[0]}}
	if len(files) > 1 {
		v.Back = &FileView{File: files[1]}
	}
	return v, nil
}

// UploadSelfie stores the user's KYC photo (JPEG or PNG) as the live
// selfie and keeps the review in step in the same transaction (see
// resubmit). Errors:
// UNAUTHENTICATED, VALIDATION_FAILED (image), RATE_LIMITED.
func (s *Uploads) UploadSelfie(ctx context.Context, image *Upload) (SelfieView, error) {
	c, err := signedIn(ctx, s.callers)
	if err != nil {
		return SelfieView{}, err
	}
	if err := s.allowUpload(ctx, c.UserID); err != nil {
		return SelfieView{}, err
	}
	img, err := s.files.checkPhoto("image", image)
	if err != nil {
		s.record(ctx, &c.UserID, "selfie.upload", err, nil)
		return SelfieView{}, err
	}
	now := s.clock.Now()
	doc := Document{ID: uuid.New(), UserID: c.UserID, Type: DocSelfie, Metadata: json.RawMessage("{}"), CreatedAt: now}
	var files []File
	err = s.files.withFiles(ctx, c.UserID, []fileUpload{{FileSelfie, img}}, func(ctx context.Context, stored []File) error {
		files = stored
		doc.FrontFileID = stored[0].ID
		if err := s.documents.ReplaceDocument(ctx, doc); err != nil {
			return err
		}
		return s.queue.resubmit(ctx, c.UserID)
	})
	s.record(ctx, &c.UserID, "selfie.upload", err, map[string]string{"document": doc.ID.String()})
	if err != nil {
		return SelfieView{}, err
	}
	return SelfieView{Document: doc, Image: FileView{File: files[0]}}, nil
}

// allowUpload counts one upload request of the user against
// Config.UploadsPerHour.
func (s *Uploads) allowUpload(ctx context.Context, userID uuid.UUID) error {
	ok, retry, err := s.limiter.Allow(ctx, "kyc_upload:user:"+userID.String(), s.perHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		return ports.RateLimited(retry)
	}
	return nil
}

// expiryDate accepts an empty date or a real YYYY-MM-DD date from today
// on.
func expiryDate(field, raw string, now time.Time) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	d, err := time.Parse(dateLayout, raw)
	if err != nil || len(raw) != len(dateLayout) {
		return "", ports.InvalidField(field, "must be a real date written YYYY-MM-DD")
	}
	if d.Before(now.UTC().Truncate(24 * time.Hour)) {
		return "", ports.InvalidField(field, "is past: the document has expired")
	}
	if d.Year() > 2200 {
		return "", ports.InvalidField(field, "is too far in the future")
	}
	return raw, nil
}

// SweepOrphanBlobs deletes the objects whose intents are older than
// OrphanBlobAge (their rows never committed), then the intents, and
// returns how many went. An object that cannot be deleted keeps its
// intent for the next sweep.
func (s *Uploads) SweepOrphanBlobs(ctx context.Context) (int, error) { return s.files.sweep(ctx) }
