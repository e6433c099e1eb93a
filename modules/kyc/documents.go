package kyc

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// DocumentInput is an identity or address document upload.
type DocumentInput struct {
	Type      string // NATIONAL_ID, PASSPORT, DRIVER_LICENSE, RESIDENCE_PERMIT, UTILITY_BILL
	Number    string // see documentNumber
	ExpiresOn string // YYYY-MM-DD, not past; empty when it does not expire
	Front     *Upload
	Back      *Upload // optional
	Metadata  map[string]any
}

// FileView is a file as the caller sees it: URL (a signed link) is set
// only for roles that read files (COMPLIANCE, ADMIN, SUPERADMIN), and
// never on the caller's own files.
type FileView struct {
	File         File
	URL          string
	URLExpiresAt *time.Time
}

// DocumentView is a document with its files.
type DocumentView struct {
	Document Document
	Front    FileView
	Back     *FileView
}

// SelfieView is the selfie's document row with its image.
type SelfieView struct {
	Document Document
	Image    FileView
}

// UploadDocument stores a document (both files checked before either is
// stored) as the user's live document of its type and, in the same
// transaction, keeps the review in step (see resubmit): a complete set is
// submitted, a PENDING submission of another document is superseded, and
// a new identity document after an approval is reviewed again. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED (fields type, number, expiresOn, front, back,
// metadata), RATE_LIMITED.
func (s *Service) UploadDocument(ctx context.Context, in DocumentInput) (DocumentView, error) {
	c, err := s.caller(ctx)
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
	front, err := s.checkUpload("front", in.Front)
	errs = []error{err}
	var back *checkedFile
	if in.Back != nil {
		b, err := s.checkUpload("back", in.Back)
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
	err = s.withFiles(ctx, c.UserID, uploads, func(ctx context.Context, stored []File) error {
		files = stored
		doc.FrontFileID = stored[0].ID
		if len(stored) > 1 {
			doc.BackFileID = &stored[1].ID
		}
		if err := s.documents.ReplaceDocument(ctx, doc); err != nil {
			return err
		}
		return s.resubmit(ctx, c.UserID)
	})
	details := map[string]string{"type": doc.Type, "document": doc.ID.String()}
	s.record(ctx, &c.UserID, "document.upload", err, details)
	if err != nil {
		return DocumentView{}, err
	}
	v := DocumentView{Document: doc, Front: s.fileView(c, files[0])}
	if len(files) > 1 {
		b := s.fileView(c, files[1])
		v.Back = &b
	}
	return v, nil
}

// UploadSelfie stores the user's KYC photo (JPEG or PNG) as the live
// selfie and keeps the review in step in the same transaction (see
// resubmit). Errors:
// UNAUTHENTICATED, VALIDATION_FAILED (image), RATE_LIMITED.
func (s *Service) UploadSelfie(ctx context.Context, image *Upload) (SelfieView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return SelfieView{}, err
	}
	if err := s.allowUpload(ctx, c.UserID); err != nil {
		return SelfieView{}, err
	}
	img, err := s.checkPhoto("image", image)
	if err != nil {
		s.record(ctx, &c.UserID, "selfie.upload", err, nil)
		return SelfieView{}, err
	}
	now := s.clock.Now()
	doc := Document{ID: uuid.New(), UserID: c.UserID, Type: DocSelfie, Metadata: json.RawMessage("{}"), CreatedAt: now}
	var files []File
	err = s.withFiles(ctx, c.UserID, []fileUpload{{FileSelfie, img}}, func(ctx context.Context, stored []File) error {
		files = stored
		doc.FrontFileID = stored[0].ID
		if err := s.documents.ReplaceDocument(ctx, doc); err != nil {
			return err
		}
		return s.resubmit(ctx, c.UserID)
	})
	s.record(ctx, &c.UserID, "selfie.upload", err, map[string]string{"document": doc.ID.String()})
	if err != nil {
		return SelfieView{}, err
	}
	return SelfieView{Document: doc, Image: s.fileView(c, files[0])}, nil
}

// checkPhoto checks an upload that must be a JPEG or PNG image.
func (s *Service) checkPhoto(field string, u *Upload) (checkedFile, error) {
	f, err := s.checkUpload(field, u)
	if err != nil {
		return checkedFile{}, err
	}
	if f.info.ContentType != "image/jpeg" && f.info.ContentType != "image/png" {
		return checkedFile{}, ports.InvalidField(field, "must be a JPEG or PNG photo")
	}
	return f, nil
}

// allowUpload counts one upload request of the user against
// cfg.UploadsPerHour.
func (s *Service) allowUpload(ctx context.Context, userID uuid.UUID) error {
	ok, retry, err := s.limiter.Allow(ctx, "kyc_upload:user:"+userID.String(), s.cfg.UploadsPerHour, time.Hour)
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

// DocumentsOf returns a user's live documents (the selfie aside) to the
// user or to staff; file links only for COMPLIANCE, ADMIN, SUPERADMIN.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) DocumentsOf(ctx context.Context, userID uuid.UUID) ([]DocumentView, error) {
	c, err := s.readerOf(ctx, opReadDocuments, userID)
	if err != nil {
		return nil, err
	}
	docs, err := s.readLiveDocuments(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := []DocumentView{}
	for _, d := range docs {
		if d.Type == DocSelfie {
			continue
		}
		v, err := s.documentView(ctx, c, d)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SelfieOf returns a user's live selfie (nil when none) to the user or to
// staff. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) SelfieOf(ctx context.Context, userID uuid.UUID) (*SelfieView, error) {
	c, err := s.readerOf(ctx, opReadSelfie, userID)
	if err != nil {
		return nil, err
	}
	docs, err := s.readLiveDocuments(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Type == DocSelfie {
			v, err := s.selfieView(ctx, c, d)
			if err != nil {
				return nil, err
			}
			return &v, nil
		}
	}
	return nil, nil
}

// DocumentByID returns any document (live or replaced) by id to staff who
// read KYC data, or to its owner (the PIN-reset review shows the document
// a selfie is checked against). Errors: UNAUTHENTICATED, FORBIDDEN,
// NOT_FOUND.
func (s *Service) DocumentByID(ctx context.Context, id uuid.UUID) (DocumentView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return DocumentView{}, err
	}
	d, err := s.documents.GetDocument(ctx, id)
	if err != nil {
		return DocumentView{}, err
	}
	if d.UserID != c.UserID && !s.rules.Allowed(c.Role, opReadDocuments) {
		return DocumentView{}, ports.ErrNotFound
	}
	return s.documentView(ctx, c, d)
}

// FileByID returns a file's record by id, with a link for roles that read
// files, to staff who read KYC data or to its owner. Errors:
// UNAUTHENTICATED, NOT_FOUND.
func (s *Service) FileByID(ctx context.Context, id uuid.UUID) (FileView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return FileView{}, err
	}
	f, err := s.documents.GetFile(ctx, id)
	if err != nil {
		return FileView{}, err
	}
	if f.UserID != c.UserID && !s.rules.Allowed(c.Role, opReadSelfie) {
		return FileView{}, ports.ErrNotFound
	}
	return s.fileView(c, f), nil
}

func (s *Service) documentView(ctx context.Context, c *ports.Caller, d Document) (DocumentView, error) {
	front, err := s.readFile(ctx, d.FrontFileID)
	if err != nil {
		return DocumentView{}, err
	}
	v := DocumentView{Document: d, Front: s.fileView(c, front)}
	if d.BackFileID != nil {
		back, err := s.readFile(ctx, *d.BackFileID)
		if err != nil {
			return DocumentView{}, err
		}
		b := s.fileView(c, back)
		v.Back = &b
	}
	return v, nil
}

func (s *Service) selfieView(ctx context.Context, c *ports.Caller, d Document) (SelfieView, error) {
	f, err := s.readFile(ctx, d.FrontFileID)
	if err != nil {
		return SelfieView{}, err
	}
	return SelfieView{Document: d, Image: s.fileView(c, f)}, nil
}

// fileView adds a signed link when the caller's role reads files and
// the file is not the caller's own: staff never review their own KYC.
func (s *Service) fileView(c *ports.Caller, f File) FileView {
	v := FileView{File: f}
	if c != nil && f.UserID != c.UserID && s.rules.Allowed(c.Role, opFileLinks) {
		if url, exp := s.fileURL(c, f); url != "" {
			v.URL, v.URLExpiresAt = url, &exp
		}
	}
	return v
}

// maxDocumentNumber bounds a document number.
const maxDocumentNumber = 64

// documentNumber checks the number of a document, in a KYC upload and in a
// PIN reset alike: 1 to 64 letters, digits, spaces, dashes, dots and
// slashes.
func documentNumber(field, raw string) (string, error) {
	n := strings.TrimSpace(raw)
	switch {
	case n == "":
		return "", ports.InvalidField(field, "is required")
	case utf8.RuneCountInString(n) > maxDocumentNumber:
		return "", ports.InvalidField(field, fmt.Sprintf("must be 1 to %d characters", maxDocumentNumber))
	}
	for _, r := range n {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -./", r) {
			return "", ports.InvalidField(field, "may contain only letters, digits, spaces, dashes, dots and slashes")
		}
	}
	return n, nil
}

// reasonText checks the reason staff give (a rejection, a staff change):
// 1 to 500 characters, no control characters.
var reasonText = textin.Reason

// documentExpired says whether d's expiry date (none: never) is before
// today (UTC) at now.
func documentExpired(d Document, now time.Time) bool {
	if d.ExpiresOn == "" {
		return false
	}
	on, err := time.Parse(dateLayout, d.ExpiresOn)
	if err != nil {
		return true // unreadable: not to be relied on
	}
	return on.Before(now.UTC().Truncate(24 * time.Hour))
}
