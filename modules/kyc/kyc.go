package kyc

import (
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

// File is one uploaded file; its (encrypted) bytes live in the
// BlobStore under BlobKey.
type File struct {
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

// Status is where a user's identity verification stands: the status of
// their latest submission, NONE without one.
type Status string

// KYC statuses.
const (
	StatusNone     Status = "NONE"
	StatusPending  Status = "PENDING"
	StatusApproved Status = "APPROVED"
	StatusRejected Status = "REJECTED"
)

// Submission is one complete set (confirmed profile, identity document,
// selfie) handed to staff for review, and its decision.
type Submission struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	Status      Status // PENDING, APPROVED, REJECTED
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
	Status Status
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

// Phone is a phone number a user added; VerifiedAt is set once a code
// sent to it was answered.
type Phone struct {
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
