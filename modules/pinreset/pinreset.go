// Package pinreset is the PIN reset by ID document and selfie (the
// wallet's flow), for a user who lost their PIN and their phone's trust:
// the user proves the phone with a code and gets a ticket, shows an
// identity document and a selfie; the selfie verifier or a COMPLIANCE user
// approves, and the ticket is spent once, when identity sets the new PIN.
//
// The code proves only the phone, which a SIM swap takes over. So the
// document counts by itself only when it is the one of the user's APPROVED
// KYC submission. A document uploaded during the reset is kept apart (never
// the user's live document, never in a submission) and marked
// DocumentUploaded: the verifier may reject on it, but only staff, who
// compare it with the profile, approve it. A user has at most one open
// reset: a new one, or a completed one, rejects the others.
//
// The module keeps the reset (its ticket, status and review); kyc keeps
// the files and documents, identity the users and PINs, otp the codes. It
// reaches each through an interface it declares (store.go).
//
// Its two services are the holder's Steps (start, verify, document,
// selfie, status, complete) and the staff Review (list, approve, reject),
// each built from the interfaces it uses (module.go).
package pinreset

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// Status is where a PIN reset stands.
type Status string

// PIN reset statuses, in the order a reset goes through them.
const (
	DocumentRequired Status = "DOCUMENT_REQUIRED"
	SelfieRequired   Status = "SELFIE_REQUIRED"
	PendingReview    Status = "PENDING_REVIEW"
	Approved         Status = "APPROVED"
	Rejected         Status = "REJECTED"
	Completed        Status = "COMPLETED"
)

// Reset is a PIN reset by ID document and selfie. The client holds a
// ticket; only its SHA-256 is kept.
type Reset struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	TicketHash []byte
	Status     Status
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

// Change is what a transition sets; nil and empty fields are left as they
// are, Status is always set.
type Change struct {
	Status     Status
	DocumentID *uuid.UUID
	// DocumentUploaded is set (never cleared) when true.
	DocumentUploaded bool
	SelfieFileID     *uuid.UUID
	Reason           string
	DecidedAt        *time.Time
	DecidedBy        *uuid.UUID
	CompletedAt      *time.Time
}

// Cursor is a position in the review queue: after the reset created at
// CreatedAt with ID.
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
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

// Ticket is what a verified PIN reset code gives the client: the ticket
// (shown once; only its SHA-256 is kept), when it stops working, whether
// an identity document is already on file, and the status
// (SELFIE_REQUIRED or DOCUMENT_REQUIRED).
type Ticket struct {
	Ticket         string
	ExpiresAt      time.Time
	DocumentOnFile bool
	Status         Status
}

// Progress is where a PIN reset stands; Reason says why it was rejected.
type Progress struct {
	Status    Status
	Reason    string
	ExpiresAt time.Time
}

// DocumentInput is an identity document uploaded during a PIN reset; Back
// is optional.
type DocumentInput struct {
	Ticket, Type, Number string
	Front, Back          *kyc.Upload
}

// Page is one page of PIN resets, oldest first.
type Page struct {
	Items   []Reset
	Cursors []string
	HasNext bool
}

const (
	// ticketPrefix starts every ticket, so leaked tickets are easy to
	// recognise (secret scanners) and a wrong kind of token is refused
	// before any lookup.
	// It differs from every other token's prefix (refresh tokens use
	// "ghr_").
	ticketPrefix = "ghpr_"
	// ticketMaxLen bounds a ticket before it is hashed; a real one is 48
	// characters.
	ticketMaxLen = 64
	// userActive is the user state that may reset a PIN.
	userActive = "ACTIVE"
	// noMatchReason is shown when the verifier says the selfie does not
	// show the document's holder.
	noMatchReason = "the selfie does not match the identity document"
	// supersededReason is given to the open resets a newer reset (or a
	// completed one) replaces.
	supersededReason = "superseded by a newer reset"
)

// openStatuses are the statuses of a reset that may still lead to a new
// PIN.
var openStatuses = []Status{DocumentRequired, SelfieRequired, PendingReview, Approved}

// statusText says what a reset in a status waits for.
var statusText = map[Status]string{
	DocumentRequired: "it is waiting for an identity document",
	SelfieRequired:   "it is waiting for a selfie",
	PendingReview:    "it is waiting for review by our staff",
	Approved:         "it is approved; set the new PIN",
	Rejected:         "it was rejected; start a new PIN reset",
	Completed:        "it has already been used",
}

// stateError is the CONFLICT for a reset in the wrong status.
func stateError(status Status) error {
	return ports.Errorf(ports.CodeConflict, "this PIN reset is %s: %s", status, statusText[status])
}

// newTicket returns a new ticket and its SHA-256.
func newTicket() (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	t := ticketPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(t))
	return t, sum[:], nil
}

// ticketHash is the SHA-256 a ticket is stored under; false for what
// cannot be a ticket (too long, or another kind of token), which is never
// looked up.
func ticketHash(ticket string) ([]byte, bool) {
	if len(ticket) > ticketMaxLen || !strings.HasPrefix(ticket, ticketPrefix) {
		return nil, false
	}
	sum := sha256.Sum256([]byte(ticket))
	return sum[:], true
}

func progressOf(r Reset) Progress {
	return Progress{Status: r.Status, Reason: r.Reason, ExpiresAt: r.ExpiresAt}
}
