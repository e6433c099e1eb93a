package kyc

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// The stores below keep kyc's records (adapters/postgres's KYCStore
// satisfies them all, as does kyctest's fake). Reads of a missing row
// return ports.ErrNotFound.

// Profiles keeps what users say about themselves: profiles and data
// records.
type Profiles interface {
	// GetProfile returns the user's profile; ErrNotFound when none.
	GetProfile(ctx context.Context, userID uuid.UUID) (Profile, error)
	// UpsertProfile creates or replaces the profile. With unlessConfirmed
	// an existing confirmed profile is left alone and the answer is
	// ErrConflict (decided atomically in one statement).
	UpsertProfile(ctx context.Context, p Profile, unlessConfirmed bool) (Profile, error)
	// PutDataRecord creates or replaces the user's record with r.Title
	// (CreatedAt kept on replace).
	PutDataRecord(ctx context.Context, r DataRecord) (DataRecord, error)
	// ListDataRecords returns the user's records ordered by title.
	ListDataRecords(ctx context.Context, userID uuid.UUID) ([]DataRecord, error)
	// DeleteDataRecord removes one and reports whether it was there.
	DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error)
}

// Documents keeps uploaded files and the documents made of them.
type Documents interface {
	CreateFile(ctx context.Context, f File) error
	// GetFile returns a file's record; ErrNotFound when none.
	GetFile(ctx context.Context, id uuid.UUID) (File, error)
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
}

// Submissions keeps the submissions handed to staff and their decisions.
type Submissions interface {
	// CreateSubmission stores a PENDING submission; ErrConflict (a CONFLICT
	// *Error) when the user already has a PENDING one.
	CreateSubmission(ctx context.Context, s Submission) error
	// GetSubmission returns a submission; ErrNotFound when none.
	GetSubmission(ctx context.Context, id uuid.UUID) (Submission, error)
	// LatestSubmission returns the user's newest submission; ErrNotFound.
	LatestSubmission(ctx context.Context, userID uuid.UUID) (Submission, error)
	// ListSubmissions returns submissions oldest first (SubmittedAt, ID),
	// after the cursor, at most q.Limit.
	ListSubmissions(ctx context.Context, q SubmissionQuery) ([]Submission, error)
	// DecideSubmission moves a PENDING submission to status (APPROVED or
	// REJECTED) in one statement: of two concurrent decisions exactly one
	// succeeds and the other gets a CONFLICT *Error. ErrNotFound when there
	// is no such submission.
	DecideSubmission(ctx context.Context, id uuid.UUID, status Status, reason string, by uuid.UUID, at time.Time) (Submission, error)
}

// Labels keeps users' labels and the level rules they are measured by.
type Labels interface {
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
}

// Phones keeps the phone numbers users add and verify.
type Phones interface {
	// AddPhone records an unverified number for the user, or returns the
	// existing record of that number (verified or not).
	AddPhone(ctx context.Context, p Phone) (Phone, error)
	// VerifyPhone marks the user's number verified at at (adding it when
	// missing); CONFLICT with Fields["phone"] when another user has it
	// verified.
	VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (Phone, error)
	// ListPhones returns the user's numbers, oldest first.
	ListPhones(ctx context.Context, userID uuid.UUID) ([]Phone, error)
}

// Stores are the stores kyc keeps its records in, together (as the tests
// and kyctest hand them to the constructors).
type Stores struct {
	Profiles    Profiles
	Documents   Documents
	Submissions Submissions
	Labels      Labels
	Phones      Phones
}

// Users is what kyc needs of identity's users: to read them, to lock a
// user's row while their labels change, and to store the level the labels
// give (adapters/postgres's UserStore).
type Users interface {
	// GetByID returns a user; ErrNotFound.
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
	// Lock takes the user's row lock until the transaction in ctx ends.
	Lock(ctx context.Context, id uuid.UUID) error
	// SetLevel stores the user's verification level.
	SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error
}

// UserReads reads, for many users at once, what the KYC fields of a user
// show (adapters/postgres, or kyctest's Store): one statement per
// method whatever the number of users, so a page of users costs the same
// as one user. Users without rows are simply absent from the answer.
type UserReads interface {
	// ProfilesByUsers returns the users' profiles.
	ProfilesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Profile, error)
	// LatestSubmissionsByUsers returns each user's newest submission (by
	// SubmittedAt, then ID), as LatestSubmission does.
	LatestSubmissionsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Submission, error)
	// LabelsByUsers returns the users' labels, each user's ordered by key.
	LabelsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Label, error)
	// LiveDocumentsByUsers returns the users' live documents (selfies
	// included), each user's ordered by type.
	LiveDocumentsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Document, error)
	// FilesByIDs returns the file records with these ids.
	FilesByIDs(ctx context.Context, ids []uuid.UUID) ([]File, error)
	// DocumentsByIDs returns the documents with these ids, live or
	// replaced (those a page of submissions names).
	DocumentsByIDs(ctx context.Context, ids []uuid.UUID) ([]Document, error)
	// PhonesByUsers returns the users' numbers, each user's oldest first.
	PhonesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Phone, error)
	// DataRecordsByUsers returns the users' data records, each user's
	// ordered by title.
	DataRecordsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]DataRecord, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): the one source of truth for roles, so the service
// keeps no role lists of its own, only the owner rules.
type Rules interface {
	Allowed(role, operation string) bool
}
