package pinreset

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/otp"
)

// Resets keeps PIN resets (adapters/postgres's PINResetStore,
// pinresettest's Store). Reads of a missing row return ports.ErrNotFound.
type Resets interface {
	// Create stores r; CONFLICT when its ticket hash is taken or the user
	// has another open reset (at most one: a new reset closes the old
	// first).
	Create(ctx context.Context, r Reset) error
	// Get returns a reset; ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Reset, error)
	// FindByTicket returns the reset whose ticket has ticketHash;
	// ErrNotFound when none.
	FindByTicket(ctx context.Context, ticketHash []byte) (Reset, error)
	// Transition applies c if the reset's status is one of from, in one
	// statement; otherwise a CONFLICT *Error (ErrNotFound when missing).
	Transition(ctx context.Context, id uuid.UUID, from []Status, c Change) (Reset, error)
	// OpenOf returns the user's resets that are not yet REJECTED or
	// COMPLETED (expired ones included), oldest first.
	OpenOf(ctx context.Context, userID uuid.UUID) ([]Reset, error)
	// List returns resets in status, oldest first, created after the
	// cursor (CreatedAt, ID), at most limit.
	List(ctx context.Context, status Status, after *Cursor, limit int) ([]Reset, error)
}

// Users is what a reset needs of identity's users (adapters/postgres's
// UserStore).
type Users interface {
	// GetByID returns a user; ErrNotFound.
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
	// GetByPhone finds the user whose proven phone is phone; ErrNotFound.
	GetByPhone(ctx context.Context, phone string) (identity.User, error)
	// Lock takes the user's row lock until the transaction in ctx ends.
	// Every transaction of a reset takes it before its first write (kyc's
	// lock ordering).
	Lock(ctx context.Context, id uuid.UUID) error
}

// Budgets says whose hourly budget a code spends: the owner's when device
// proves a device the account trusts, the client's otherwise (identity's
// rule, identity.BudgetFor).
type Budgets interface {
	BudgetFor(ctx context.Context, userID uuid.UUID, device identity.DeviceProof) (otp.SendBudget, error)
}

// Codes issues and checks the one-time codes that prove the phone (the
// otp module's service).
type Codes interface {
	Start(ctx context.Context, r otp.StartRequest) (otp.ChallengeView, error)
	// VerifyThen runs then, on a right code, inside the transaction that
	// consumes the challenge: if then fails, the code is not spent and
	// nothing then wrote stays.
	VerifyThen(ctx context.Context, id uuid.UUID, purpose otp.Purpose, code string,
		then func(ctx context.Context, v otp.Verified) error) (otp.Verified, error)
}

// Documents is what a reset needs of kyc's documents and files (kyc's
// ResetFiles): the rule a document's type and number follow, the identity
// document KYC approved, and the encrypted upload of the reset's own
// document and selfie.
type Documents interface {
	// CheckIdentityDocument checks an identity document's type and number
	// by KYC's rules and returns the number as kept. Errors:
	// VALIDATION_FAILED (type, number).
	CheckIdentityDocument(typ, number string) (string, error)
	// ApprovedIdentityDocument returns the identity document of the user's
	// latest KYC submission when that submission is APPROVED and the
	// document has not expired; false otherwise.
	ApprovedIdentityDocument(ctx context.Context, userID uuid.UUID) (kyc.Document, bool, error)
	// StoreResetDocument checks and stores the files of a document kept
	// apart from the user's live ones, then runs then in the transaction
	// that records it, under the user's lock. Errors: VALIDATION_FAILED
	// (front, back).
	StoreResetDocument(ctx context.Context, d kyc.ResetDocument, then func(ctx context.Context, doc kyc.Document) error) error
	// StoreResetSelfie checks and stores a selfie (JPEG or PNG) of the
	// user, then runs then in the transaction that records it, under the
	// user's lock. Errors: VALIDATION_FAILED (selfie).
	StoreResetSelfie(ctx context.Context, userID uuid.UUID, selfie *kyc.Upload,
		then func(ctx context.Context, f kyc.File) error) error
}

// PINs sets a PIN for a user who proved who they are another way
// (identity's PIN service).
type PINs interface {
	// ResetPINWithProof runs in.Redeem inside the transaction that sets
	// the PIN, then signs in on the device.
	ResetPINWithProof(ctx context.Context, in identity.PINResetByProof) (identity.Auth, error)
}

// SelfieVerifier checks selfies for PIN resets. An adapter may answer at
// once (MATCH, NO_MATCH) or leave the decision to staff (PENDING_REVIEW).
type SelfieVerifier interface {
	Verify(ctx context.Context, c SelfieCheck) (verdict string, err error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): the one source of truth for roles, so the review
// keeps no role lists of its own, only the ownership rules.
type Rules interface {
	Allowed(role, operation string) bool
}
