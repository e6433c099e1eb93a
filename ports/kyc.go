package ports

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Profile is what a user says about who they are.
type Profile struct {
	UserID      uuid.UUID
	FirstName   string
	LastName    string
	DateOfBirth string // YYYY-MM-DD
	Address     string
	Postcode    string
	City        string
	Country     string          // ISO 3166-1 alpha-2
	Metadata    json.RawMessage // a JSON object, "{}" when empty
	// ConfirmedAt is set when the owner confirmed the profile: from then on
	// only staff may change it.
	ConfirmedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// KYC file purposes.
const (
	FileDocumentFront = "DOCUMENT_FRONT"
	FileDocumentBack  = "DOCUMENT_BACK"
	FileSelfie        = "SELFIE"
)

// KYCFile is one uploaded file; its (encrypted) bytes live in the
// BlobStore under BlobKey.
type KYCFile struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	Purpose     string // DOCUMENT_FRONT, DOCUMENT_BACK, SELFIE
	ContentType string // image/jpeg, image/png or application/pdf, sniffed
	Size        int64
	Width       int // pixels; 0 for a PDF
	Height      int
	SHA256      []byte // of the uploaded bytes
	BlobKey     string
	CreatedAt   time.Time
}

// Document is an identity or address document, or a selfie (Type SELFIE).
// A user has at most one live document per type; a newer upload replaces
// the old one, which stays (ReplacedAt set) for the record.
type Document struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	Type        string // NATIONAL_ID, PASSPORT, DRIVER_LICENSE, RESIDENCE_PERMIT, UTILITY_BILL, SELFIE
	Number      string
	ExpiresOn   string          // YYYY-MM-DD, or empty
	Metadata    json.RawMessage // a JSON object, "{}" when empty
	FrontFileID uuid.UUID
	BackFileID  *uuid.UUID
	CreatedAt   time.Time
	ReplacedAt  *time.Time
}

// KYC submission statuses; NONE is the status of a user without one.
const (
	KYCNone     = "NONE"
	KYCPending  = "PENDING"
	KYCApproved = "APPROVED"
	KYCRejected = "REJECTED"
)

// KYCSubmission is one complete set (confirmed profile, identity document,
// selfie) handed to staff for review, and its decision.
type KYCSubmission struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	Status      string // PENDING, APPROVED, REJECTED
	Country     string // the profile's, when submitted
	DocumentID  uuid.UUID
	SelfieID    uuid.UUID // the SELFIE document
	SubmittedAt time.Time
	DecidedAt   *time.Time
	DecidedBy   *uuid.UUID
	Reason      string
}

// SubmissionCursor is the keyset position of a submission in the review
// queue, which runs oldest first.
type SubmissionCursor struct {
	SubmittedAt time.Time
	ID          uuid.UUID
}

// SubmissionQuery selects submissions; zero fields do not filter.
type SubmissionQuery struct {
	Status string
	// Country matches the profile's country at submission.
	Country string
	// From and To bound SubmittedAt (From inclusive, To exclusive).
	From  *time.Time
	To    *time.Time
	After *SubmissionCursor
	Limit int
}

// Label scopes: users set and remove their own PUBLIC labels; only staff
// (and Gatehouse itself) touch PRIVATE ones, and only PRIVATE labels count
// for levels.
const (
	ScopePublic  = "PUBLIC"
	ScopePrivate = "PRIVATE"
)

// Label is a key/value fact about a user. A user has at most one label per
// key.
type Label struct {
	UserID      uuid.UUID
	Key         string
	Value       string
	Scope       string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// LevelRule says that reaching Level needs the PRIVATE label Key=Value. A
// user is at the highest level L such that every rule of every level up
// to L holds.
type LevelRule struct {
	Level       int
	Key         string
	Value       string
	Description string
}

// KYCPhone is a phone number a user added; VerifiedAt is set once a code
// sent to it was answered.
type KYCPhone struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	Number     string // E.164
	VerifiedAt *time.Time
	CreatedAt  time.Time
}

// DataRecord is extra KYC data a user keeps under a title (one per title).
type DataRecord struct {
	UserID    uuid.UUID
	Title     string
	Data      json.RawMessage // a JSON object
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PIN reset statuses, in the order a reset goes through them.
const (
	PINResetDocumentRequired = "DOCUMENT_REQUIRED"
	PINResetSelfieRequired   = "SELFIE_REQUIRED"
	PINResetPendingReview    = "PENDING_REVIEW"
	PINResetApproved         = "APPROVED"
	PINResetRejected         = "REJECTED"
	PINResetCompleted        = "COMPLETED"
)

// PINReset is a PIN reset by ID document and selfie. The client holds a
// ticket; only its SHA-256 is kept.
type PINReset struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	TicketHash []byte
	Status     string
	DocumentID *uuid.UUID // the identity document the selfie is checked against
	// DocumentUploaded: the ticket holder uploaded DocumentID during this
	// reset (no approved KYC document was on file), so it proves nothing
	// by itself.
	DocumentUploaded bool
	SelfieFileID     *uuid.UUID
	Reason           string // why it was rejected
	ExpiresAt        time.Time
	CreatedAt        time.Time
	DecidedAt        *time.Time
	DecidedBy        *uuid.UUID
	CompletedAt      *time.Time
}

// PINResetChange is what a transition sets; nil and empty fields are left
// as they are, Status is always set.
type PINResetChange struct {
	Status     string
	DocumentID *uuid.UUID
	// DocumentUploaded is set (never cleared) when true.
	DocumentUploaded bool
	SelfieFileID     *uuid.UUID
	Reason           string
	DecidedAt        *time.Time
	DecidedBy        *uuid.UUID
	CompletedAt      *time.Time
}

// KYCStore keeps profiles, files, documents, submissions, labels, phones,
// data records and PIN resets.
type KYCStore interface {
	// GetProfile returns the user's profile; ErrNotFound when none.
	GetProfile(ctx context.Context, userID uuid.UUID) (Profile, error)
	// UpsertProfile creates or replaces the profile. With unlessConfirmed
	// an existing confirmed profile is left alone and the answer is
	// ErrConflict (decided atomically in one statement).
	UpsertProfile(ctx context.Context, p Profile, unlessConfirmed bool) (Profile, error)

	CreateFile(ctx context.Context, f KYCFile) error
	// GetFile returns a file's record; ErrNotFound when none.
	GetFile(ctx context.Context, id uuid.UUID) (KYCFile, error)

	// ReplaceDocument marks the user's live document of d.Type replaced at
	// d.CreatedAt and inserts d as the live one, atomically.
	ReplaceDocument(ctx context.Context, d Document) error
	// GetDocument returns a document, live or replaced; ErrNotFound.
	GetDocument(ctx context.Context, id uuid.UUID) (Document, error)
	// AddDocument inserts d as it is, without touching the live ones: a
	// PIN reset's document is stored with ReplacedAt set (never live).
	AddDocument(ctx context.Context, d Document) error
	// LiveDocuments returns the user's live documents (selfie included),
	// ordered by type.
	LiveDocuments(ctx context.Context, userID uuid.UUID) ([]Document, error)

	// CreateSubmission stores a PENDING submission; ErrConflict (a CONFLICT
	// *Error) when the user already has a PENDING one.
	CreateSubmission(ctx context.Context, s KYCSubmission) error
	// GetSubmission returns a submission; ErrNotFound when none.
	GetSubmission(ctx context.Context, id uuid.UUID) (KYCSubmission, error)
	// LatestSubmission returns the user's newest submission; ErrNotFound.
	LatestSubmission(ctx context.Context, userID uuid.UUID) (KYCSubmission, error)
	// ListSubmissions returns submissions oldest first (SubmittedAt, ID),
	// after the cursor, at most q.Limit.
	ListSubmissions(ctx context.Context, q SubmissionQuery) ([]KYCSubmission, error)
	// DecideSubmission moves a PENDING submission to status (APPROVED or
	// REJECTED) in one statement: of two concurrent decisions exactly one
	// succeeds and the other gets a CONFLICT *Error. ErrNotFound when there
	// is no such submission.
	DecideSubmission(ctx context.Context, id uuid.UUID, status, reason string, by uuid.UUID, at time.Time) (KYCSubmission, error)

	// GetLabel returns the user's label with key; ErrNotFound.
	GetLabel(ctx context.Context, userID uuid.UUID, key string) (Label, error)
	// SetLabel creates or replaces the user's label with l.Key.
	SetLabel(ctx context.Context, l Label) (Label, error)
	// DeleteLabel removes it and reports whether there was one.
	DeleteLabel(ctx context.Context, userID uuid.UUID, key string) (bool, error)
	// ListLabels returns the user's labels ordered by key.
	ListLabels(ctx context.Context, userID uuid.UUID) ([]Label, error)
	// LevelRules returns every level rule, ordered by level then key.
	LevelRules(ctx context.Context) ([]LevelRule, error)

	// AddPhone records an unverified number for the user, or returns the
	// existing record of that number (verified or not).
	AddPhone(ctx context.Context, p KYCPhone) (KYCPhone, error)
	// VerifyPhone marks the user's number verified at at (adding it when
	// missing); CONFLICT with Fields["phone"] when another user has it
	// verified.
	VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (KYCPhone, error)
	// ListPhones returns the user's numbers, oldest first.
	ListPhones(ctx context.Context, userID uuid.UUID) ([]KYCPhone, error)

	// PutDataRecord creates or replaces the user's record with r.Title
	// (CreatedAt kept on replace).
	PutDataRecord(ctx context.Context, r DataRecord) (DataRecord, error)
	// ListDataRecords returns the user's records ordered by title.
	ListDataRecords(ctx context.Context, userID uuid.UUID) ([]DataRecord, error)
	// DeleteDataRecord removes one and reports whether it was there.
	DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error)

	CreatePINReset(ctx context.Context, r PINReset) error
	// GetPINReset returns a reset; ErrNotFound.
	GetPINReset(ctx context.Context, id uuid.UUID) (PINReset, error)
	// FindPINReset returns the reset whose ticket has ticketHash;
	// ErrNotFound when none.
	FindPINReset(ctx context.Context, ticketHash []byte) (PINReset, error)
	// TransitionPINReset applies c if the reset's status is one of from, in
	// one statement; otherwise a CONFLICT *Error (ErrNotFound when missing).
	TransitionPINReset(ctx context.Context, id uuid.UUID, from []string, c PINResetChange) (PINReset, error)
	// OpenPINResetsOf returns the user's resets that are not yet REJECTED
	// or COMPLETED (expired ones included), oldest first. A user has at
	// most one (a unique index), so a new reset closes the old first.
	OpenPINResetsOf(ctx context.Context, userID uuid.UUID) ([]PINReset, error)
	// ListPINResets returns resets in status, oldest first, created after
	// the cursor (CreatedAt, ID), at most limit.
	ListPINResets(ctx context.Context, status string, after *SubmissionCursor, limit int) ([]PINReset, error)
}

// Selfie verdicts.
const (
	SelfiePendingReview = "PENDING_REVIEW"
	SelfieMatch         = "MATCH"
	SelfieNoMatch       = "NO_MATCH"
)

// SelfieCheck asks whether a selfie shows the person on a document.
type SelfieCheck struct {
	UserID       uuid.UUID
	PINResetID   uuid.UUID
	SelfieFileID uuid.UUID
	DocumentID   uuid.UUID
}

// SelfieVerifier checks selfies for PIN resets. An adapter may answer at
// once (MATCH, NO_MATCH) or leave the decision to staff (PENDING_REVIEW).
type SelfieVerifier interface {
	Verify(ctx context.Context, c SelfieCheck) (verdict string, err error)
}
