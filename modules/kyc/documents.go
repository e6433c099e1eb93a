package kyc

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

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

// Files is the reading of users' documents, selfies and files, by their
// owner or by staff, with the signed links staff open files with
// (links.go).
type Files struct {
	gate
	trail
	views     viewer
	documents Documents
	users     Users
	blobs     ports.BlobStore
	clock     ports.Clock
}

// NewFiles returns the document and file reads; callers and rules decide
// who may read whose, and which roles get links (see gate, viewer).
func NewFiles(cfg Config, documents Documents, users Users, callers ports.CallerSource, rules Rules,
	clock ports.Clock, blobs ports.BlobStore, activities ports.ActivityLog, log *slog.Logger) *Files {
	return &Files{gate: gate{callers: callers, rules: rules},
		trail: trail{activities: activities, clock: clock, log: log},
		views: newViewer(cfg, documents, rules, clock), documents: documents, users: users, blobs: blobs,
		clock: clock}
}

// DocumentsOf returns a user's live documents (the selfie aside) to the
// user or to staff; file links only for COMPLIANCE, ADMIN, SUPERADMIN.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Files) DocumentsOf(ctx context.Context, userID uuid.UUID) ([]DocumentView, error) {
	c, err := s.readerOf(ctx, opReadDocuments, userID)
	if err != nil {
		return nil, err
	}
	docs, err := readLiveDocuments(ctx, s.documents, userID)
	if err != nil {
		return nil, err
	}
	out := []DocumentView{}
	for _, d := range docs {
		if d.Type == DocSelfie {
			continue
		}
		v, err := s.views.documentView(ctx, c, d)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SelfieOf returns a user's live selfie (nil when none) to the user or to
// staff. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Files) SelfieOf(ctx context.Context, userID uuid.UUID) (*SelfieView, error) {
	c, err := s.readerOf(ctx, opReadSelfie, userID)
	if err != nil {
		return nil, err
	}
	docs, err := readLiveDocuments(ctx, s.documents, userID)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Type == DocSelfie {
			v, err := s.views.selfieView(ctx, c, d)
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
func (s *Files) DocumentByID(ctx context.Context, id uuid.UUID) (DocumentView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return DocumentView{}, err
	}
	d, err := readDocument(ctx, s.documents, id)
	if err != nil {
		return DocumentView{}, err
	}
	if d.UserID != c.UserID && !s.rules.Allowed(c.Role, opReadDocuments) {
		return DocumentView{}, ports.ErrNotFound
	}
	return s.views.documentView(ctx, c, d)
}

// FileByID returns a file's record by id, with a link for roles that read
// files, to staff who read KYC data or to its owner. Errors:
// UNAUTHENTICATED, NOT_FOUND.
func (s *Files) FileByID(ctx context.Context, id uuid.UUID) (FileView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return FileView{}, err
	}
	f, err := readFile(ctx, s.documents, id)
	if err != nil {
		return FileView{}, err
	}
	if f.UserID != c.UserID && !s.rules.Allowed(c.Role, opReadSelfie) {
		return FileView{}, ports.ErrNotFound
	}
	return s.views.fileView(c, f), nil
}

// viewer shows documents and files to a caller: with a signed link when
// their role reads files (Files, Review).
type viewer struct {
	documents Documents
	rules     Rules
	links     linker
}

func newViewer(cfg Config, documents Documents, rules Rules, clock ports.Clock) viewer {
	return viewer{documents: documents, rules: rules, links: linker{key: cfg.LinkKey, ttl: cfg.LinkTTL, clock: clock}}
}

func (s viewer) documentView(ctx context.Context, c *ports.Caller, d Document) (DocumentView, error) {
	front, err := readFile(ctx, s.documents, d.FrontFileID)
	if err != nil {
		return DocumentView{}, err
	}
	v := DocumentView{Document: d, Front: s.fileView(c, front)}
	if d.BackFileID != nil {
		back, err := readFile(ctx, s.documents, *d.BackFileID)
		if err != nil {
			return DocumentView{}, err
		}
		b := s.fileView(c, back)
		v.Back = &b
	}
	return v, nil
}

func (s viewer) selfieView(ctx context.Context, c *ports.Caller, d Document) (SelfieView, error) {
	f, err := readFile(ctx, s.documents, d.FrontFileID)
	if err != nil {
		return SelfieView{}, err
	}
	return SelfieView{Document: d, Image: s.fileView(c, f)}, nil
}

// fileView adds a signed link when the caller's role reads files and
// the file is not the caller's own: staff never review their own KYC.
func (s viewer) fileView(c *ports.Caller, f File) FileView {
	v := FileView{File: f}
	if c != nil && f.UserID != c.UserID && s.rules.Allowed(c.Role, opFileLinks) {
		if url, exp := s.links.fileURL(c, f); url != "" {
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
