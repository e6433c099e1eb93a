package kyc

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// The PIN reset by ID document (the wallet's flow): a user who forgot the
// PIN proves the phone with a code, gets a ticket, shows an identity
// document and a selfie; the selfie verifier or a COMPLIANCE user
// approves, and identity redeems the ticket once, when it sets the new PIN.
//
// The code proves only the phone, which a SIM swap takes over. So the
// document counts by itself only when it is the one of the user's APPROVED
// KYC submission. A document uploaded during the reset is kept apart (never
// the user's live document, never in a submission) and marked
// DocumentUploaded: the verifier may reject on it, but only staff, who
// compare it with the profile, approve it. A user has at most one open
// reset: a new one, or a completed one, rejects the others.

const (
	// pinResetTicketPrefix starts every ticket, so leaked tickets are easy
	// to recognise (secret scanners) and a wrong kind of token is refused
	// before any lookup.
	// It differs from every other token's prefix (refresh tokens use
	// "ghr_").
	pinResetTicketPrefix = "ghpr_"
	// pinResetTicketMaxLen bounds a ticket before it is hashed; a real one
	// is 48 characters.
	pinResetTicketMaxLen = 64
	// pinResetUserActive is the user state that may reset a PIN.
	pinResetUserActive = "ACTIVE"
	// pinResetNoMatchReason is shown when the verifier says the selfie does
	// not show the document's holder.
	pinResetNoMatchReason = "the selfie does not match the identity document"
	// pinResetSupersededReason is given to the open resets a newer reset
	// (or a completed one) replaces.
	pinResetSupersededReason = "superseded by a newer reset"
)

// pinResetOpen are the statuses of a reset that may still lead to a new
// PIN.
var pinResetOpen = []PINResetStatus{PINResetDocumentRequired, PINResetSelfieRequired,
	PINResetPendingReview, PINResetApproved}

// pinResetStatusText says what a reset in a status waits for.
var pinResetStatusText = map[PINResetStatus]string{
	PINResetDocumentRequired: "it is waiting for an identity document",
	PINResetSelfieRequired:   "it is waiting for a selfie",
	PINResetPendingReview:    "it is waiting for review by our staff",
	PINResetApproved:         "it is approved; set the new PIN",
	PINResetRejected:         "it was rejected; start a new PIN reset",
	PINResetCompleted:        "it has already been used",
}

// PINResetTicket is what a verified PIN reset code gives the client: the
// ticket (shown once; only its SHA-256 is kept), when it stops working,
// whether an identity document is already on file, and the status
// (SELFIE_REQUIRED or DOCUMENT_REQUIRED).
type PINResetTicket struct {
	Ticket         string
	ExpiresAt      time.Time
	DocumentOnFile bool
	Status         PINResetStatus
}

// PINResetProgress is where a PIN reset stands; Reason says why it was
// rejected.
type PINResetProgress struct {
	Status    PINResetStatus
	Reason    string
	ExpiresAt time.Time
}

// PINResetDocumentInput is an identity document uploaded during a PIN
// reset; Back is optional.
type PINResetDocumentInput struct {
	Ticket, Type, Number string
	Front, Back          *Upload
}

// PINResetPage is one page of PIN resets, oldest first.
type PINResetPage struct {
	Items   []PINReset
	Cursors []string
	HasNext bool
}

// StartPINReset sends a code to the phone of an account that wants to
// reset its PIN. The answer is the same whether or not the account can:
// an unknown phone, or an account that is not ACTIVE or has no PIN, gets a
// decoy challenge that looks, is stored and is limited like a real one and
// that no code answers; delivery happens after the answer either way, and
// both paths record the request (a decoy's names no user) before they
// answer, so the time taken does not tell them apart. Errors:
// VALIDATION_FAILED, RATE_LIMITED.
//
// The code spends the client's budget, or the owner's when device proves a
// device the account trusts: many strangers' resets cannot block the
// owner's, nor the owner's new-device sign-ins.
func (s *Service) StartPINReset(ctx context.Context, rawPhone string, device identity.DeviceProof) (otp.ChallengeView, error) {
	phone, err := identity.NormalizePhone("phone", rawPhone)
	if err := ports.MergeInvalid(err, device.Check()); err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.pinResetLimit(ctx, "pin_reset_start", s.cfg.PINResetStartsPerHour); err != nil {
		return otp.ChallengeView{}, err
	}
	req := otp.StartRequest{Purpose: otp.PurposePINReset, Channel: otp.ChannelSMS, To: phone, Background: true}
	u, err := s.users.GetByPhone(ctx, phone)
	owner := uuid.Nil
	switch {
	case err == nil && u.State == pinResetUserActive && u.HasPIN:
		req.Metadata = map[string]string{"userId": u.ID.String()}
		owner = u.ID
	case err == nil || ports.ErrorCodeOf(err) == ports.CodeNotFound:
		req.Decoy = true
	default:
		return otp.ChallengeView{}, err
	}
	if req.Budget, err = identity.BudgetFor(ctx, s.users, owner, device); err != nil {
		return otp.ChallengeView{}, err
	}
	ch, err := s.codes.Start(ctx, req)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	var uid *uuid.UUID
	if !req.Decoy {
		uid = &u.ID
	}
	s.record(ctx, uid, "pin_reset.requested", nil, nil)
	return ch, nil
}

// VerifyPINReset checks the code from StartPINReset and opens the reset:
// when the user's latest KYC submission is APPROVED, its identity document
// is on file and the next step is the selfie (SELFIE_REQUIRED); otherwise
// a document (DOCUMENT_REQUIRED); an approved document that has expired
// does not count. The user's other open resets are rejected in the same
// transaction, under the user's lock, so of two verifications at once the
// later supersedes the earlier. Errors: those of otp Verify, NOT_FOUND
// (the account's phone is no longer the one the code went to: the same
// answer as an unknown challenge), ACCESS_RESTRICTED (the account changed
// meanwhile), CONFLICT (another reset was opened at the same moment).
func (s *Service) VerifyPINReset(ctx context.Context, challengeID uuid.UUID, code string) (PINResetTicket, error) {
	var out PINResetTicket
	_, err := s.codes.VerifyThen(ctx, challengeID, otp.PurposePINReset, code, func(ctx context.Context, v otp.Verified) error {
		uid, err := uuid.Parse(v.Metadata["userId"])
		if err != nil {
			return fmt.Errorf("PIN reset challenge %s has no user: %w", v.ChallengeID, err)
		}
		// The user's lock first: it serialises two verifications of one
		// user and comes before every write (lock ordering).
		if err := s.users.Lock(ctx, uid); err != nil && ports.ErrorCodeOf(err) != ports.CodeNotFound {
			return err
		}
		u, err := s.users.GetByID(ctx, uid)
		if err != nil && ports.ErrorCodeOf(err) != ports.CodeNotFound {
			return err
		}
		if err == nil && u.Phone != v.Destination {
			// The number changed hands since the code was sent: the
			// code proves a phone that is not this account's any more.
			return ports.Errorf(ports.CodeNotFound, "no such verification challenge")
		}
		if err != nil || u.State != pinResetUserActive || !u.HasPIN {
			return ports.Errorf(ports.CodeAccessRestricted, "this account cannot reset its PIN; contact support")
		}
		doc, onFile, err := s.pinResetApprovedDocument(ctx, u.ID)
		if err != nil {
			return err
		}
		ticket, hash, err := pinResetNewTicket()
		if err != nil {
			return err
		}
		now := s.clock.Now()
		r := PINReset{ID: uuid.New(), UserID: u.ID, TicketHash: hash, Status: PINResetDocumentRequired,
			ExpiresAt: now.Add(s.cfg.PINResetTTL), CreatedAt: now}
		if onFile {
			r.Status, r.DocumentID = PINResetSelfieRequired, &doc.ID
		}
		if err := s.pinResetSupersede(ctx, u.ID, r.ID); err != nil {
			return err
		}
		if err := s.resets.CreatePINReset(ctx, r); err != nil {
			if ports.ErrorCodeOf(err) == ports.CodeConflict {
				return ports.Errorf(ports.CodeConflict,
					"another PIN reset of this account was started at the same moment; start again")
			}
			return err
		}
		s.record(ctx, &u.ID, "pin_reset.verified", nil, map[string]string{"reset": r.ID.String(), "status": string(r.Status)})
		out = PINResetTicket{Ticket: ticket, ExpiresAt: r.ExpiresAt, DocumentOnFile: r.DocumentID != nil, Status: r.Status}
		return nil
	})
	if err != nil {
		return PINResetTicket{}, err
	}
	return out, nil
}

// UploadPINResetDocument takes the identity document of a reset that has
// none on file, and the reset waits for the selfie. The document is kept
// for this reset only: stored already replaced (never the user's live
// document, never part of a KYC submission), and the reset is marked
// DocumentUploaded, so only staff can approve it. Both files are checked
// before either is stored. Errors: VALIDATION_FAILED, NOT_FOUND (ticket), CONFLICT (the
// reset does not wait for a document), RATE_LIMITED.
func (s *Service) UploadPINResetDocument(ctx context.Context, in PINResetDocumentInput) (PINResetProgress, error) {
	var typeErr error
	if !isIdentityDoc(in.Type) {
		typeErr = ports.InvalidField("type", "must be one of "+strings.Join(IdentityDocTypes, ", "))
	}
	number, numberErr := documentNumber("number", in.Number)
	if err := ports.MergeInvalid(typeErr, numberErr); err != nil {
		return PINResetProgress{}, err
	}
	r, err := s.pinResetByTicket(ctx, in.Ticket)
	if err != nil {
		return PINResetProgress{}, err
	}
	if r.Status != PINResetDocumentRequired {
		return PINResetProgress{}, pinResetStateError(r.Status)
	}
	if err := s.pinResetUserLimit(ctx, r.UserID); err != nil {
		return PINResetProgress{}, err
	}
	front, frontErr := s.checkUpload("front", in.Front)
	var back checkedFile
	var backErr error
	if in.Back != nil {
		back, backErr = s.checkUpload("back", in.Back)
	}
	if err := ports.MergeInvalid(frontErr, backErr); err != nil {
		return PINResetProgress{}, err
	}
	uploads := []fileUpload{{FileDocumentFront, front}}
	if in.Back != nil {
		uploads = append(uploads, fileUpload{FileDocumentBack, back})
	}
	var out PINReset
	// The reset's state was checked above, before the files were written;
	// the transition checks it again under the user's lock.
	err = s.withFiles(ctx, r.UserID, uploads, func(ctx context.Context, stored []File) error {
		now := s.clock.Now()
		doc := Document{ID: uuid.New(), UserID: r.UserID, Type: in.Type, Number: number,
			Metadata: json.RawMessage("{}"), FrontFileID: stored[0].ID, CreatedAt: now, ReplacedAt: &now}
		if len(stored) > 1 {
			doc.BackFileID = &stored[1].ID
		}
		if err := s.documents.AddDocument(ctx, doc); err != nil {
			return err
		}
		var err error
		out, err = s.resets.TransitionPINReset(ctx, r.ID, []PINResetStatus{PINResetDocumentRequired},
			PINResetChange{Status: PINResetSelfieRequired, DocumentID: &doc.ID, DocumentUploaded: true})
		if err != nil {
			return s.pinResetTransitionError(ctx, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.document_uploaded", nil,
			map[string]string{"reset": r.ID.String(), "document": doc.ID.String(), "type": doc.Type})
		return nil
	})
	if err != nil {
		return PINResetProgress{}, err
	}
	return pinResetProgressOf(out), nil
}

// SubmitPINResetSelfie takes the selfie (JPEG or PNG) of a reset that
// waits for one and hands it to the selfie verifier: the reset then waits
// for staff (PENDING_REVIEW), or the verifier decides at once (APPROVED or
// REJECTED). A MATCH against a document uploaded during the reset approves
// nothing (the holder may have shown their own document): staff decide;
// so does a MATCH for a staff account (any role but MEMBER), whose reset
// only a SUPERADMIN approves. A verifier that fails leaves the selfie to
// staff. Errors:
// VALIDATION_FAILED, NOT_FOUND (ticket), CONFLICT (the reset does not wait
// for a selfie), RATE_LIMITED.
func (s *Service) SubmitPINResetSelfie(ctx context.Context, ticket string, selfie *Upload) (PINResetProgress, error) {
	r, err := s.pinResetByTicket(ctx, ticket)
	if err != nil {
		return PINResetProgress{}, err
	}
	if r.Status != PINResetSelfieRequired {
		return PINResetProgress{}, pinResetStateError(r.Status)
	}
	if r.DocumentID == nil {
		return PINResetProgress{}, fmt.Errorf("PIN reset %s waits for a selfie without a document", r.ID)
	}
	if err := s.pinResetUserLimit(ctx, r.UserID); err != nil {
		return PINResetProgress{}, err
	}
	f, err := s.checkUpload("selfie", selfie)
	if err != nil {
		return PINResetProgress{}, err
	}
	if f.info.ContentType != "image/jpeg" && f.info.ContentType != "image/png" {
		return PINResetProgress{}, ports.InvalidField("selfie", "must be a JPEG or PNG photo")
	}
	var (
		file File
		out  PINReset
	)
	// As for the document: the state checked above is checked again by
	// the transition, under the user's lock.
	err = s.withFiles(ctx, r.UserID, []fileUpload{{FileSelfie, f}}, func(ctx context.Context, stored []File) error {
		file = stored[0]
		var err error
		out, err = s.resets.TransitionPINReset(ctx, r.ID, []PINResetStatus{PINResetSelfieRequired},
			PINResetChange{Status: PINResetPendingReview, SelfieFileID: &file.ID})
		if err != nil {
			return s.pinResetTransitionError(ctx, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.selfie_submitted", nil,
			map[string]string{"reset": r.ID.String(), "file": file.ID.String()})
		return nil
	})
	if err != nil {
		return PINResetProgress{}, err
	}
	// The verifier runs after commit, so an adapter that reads the file
	// finds it, and a slow one holds no transaction open.
	verdict, err := s.selfies.Verify(ctx, SelfieCheck{UserID: r.UserID, PINResetID: r.ID,
		SelfieFileID: file.ID, DocumentID: *r.DocumentID})
	change := PINResetChange{}
	switch {
	case err != nil:
		s.log.ErrorContext(ctx, "selfie verifier failed; the PIN reset waits for staff", "reset", r.ID, "err", err)
		return pinResetProgressOf(out), nil
	case verdict == SelfieMatch && (r.DocumentUploaded || out.DocumentUploaded):
		s.record(ctx, &r.UserID, "pin_reset.selfie_matched", nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier", "document": "uploaded"})
		return pinResetProgressOf(out), nil
	case verdict == SelfieMatch && !s.pinResetOfMember(ctx, r.UserID):
		// A staff account's reset is a SUPERADMIN's to approve, never a
		// machine's.
		s.record(ctx, &r.UserID, "pin_reset.selfie_matched", nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier", "account": "staff"})
		return pinResetProgressOf(out), nil
	case verdict == SelfieMatch:
		change.Status = PINResetApproved
	case verdict == SelfieNoMatch:
		change.Status, change.Reason = PINResetRejected, pinResetNoMatchReason
	case verdict == SelfiePendingReview:
		return pinResetProgressOf(out), nil
	default:
		s.log.ErrorContext(ctx, "selfie verifier gave an unknown verdict; the PIN reset waits for staff",
			"reset", r.ID, "verdict", verdict)
		return pinResetProgressOf(out), nil
	}
	now := s.clock.Now()
	change.DecidedAt = &now
	var decided PINReset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		var err error
		decided, err = s.resets.TransitionPINReset(ctx, r.ID, []PINResetStatus{PINResetPendingReview}, change)
		return err
	})
	if ports.ErrorCodeOf(err) == ports.CodeConflict {
		// Staff decided first: theirs stands.
		decided, err = s.resets.GetPINReset(ctx, r.ID)
	}
	if err != nil {
		return PINResetProgress{}, err
	}
	if decided.Status == change.Status {
		s.record(ctx, &r.UserID, "pin_reset."+strings.ToLower(string(change.Status)), nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier"})
	}
	return pinResetProgressOf(decided), nil
}

// PINResetStatus says where the reset of ticket stands. Errors: NOT_FOUND
// (an unknown or expired ticket).
func (s *Service) PINResetStatus(ctx context.Context, ticket string) (PINResetProgress, error) {
	r, err := s.pinResetByTicket(ctx, ticket)
	if err != nil {
		return PINResetProgress{}, err
	}
	return pinResetProgressOf(r), nil
}

// RedeemPINReset spends an APPROVED ticket and returns the user whose PIN
// may be set. Identity calls it (modules/pinreset joins the two) inside
// the transaction that sets the new PIN, so the ticket is spent only with
// the PIN; a ticket works once, and the user's other open resets are
// rejected with it. The user's role is
// read again: an account that became staff since a MEMBER's reset was
// approved needs a SUPERADMIN's approval.
// Errors: NOT_FOUND (an unknown or expired ticket), CONFLICT (not
// approved, or already used), FORBIDDEN (a staff account's reset not
// approved by a SUPERADMIN).
func (s *Service) RedeemPINReset(ctx context.Context, ticket string) (uuid.UUID, error) {
	r, err := s.pinResetByTicket(ctx, ticket)
	if err != nil {
		return uuid.Nil, err
	}
	if r.Status != PINResetApproved {
		return uuid.Nil, pinResetStateError(r.Status)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		if !s.pinResetOfMember(ctx, r.UserID) && !s.pinResetDecidedBySuperadmin(ctx, r) {
			err := ports.Errorf(ports.CodeForbidden,
				"this account is a staff account now: its PIN reset needs a SUPERADMIN's approval; start a new one")
			s.record(ctx, &r.UserID, "pin_reset.complete", err, map[string]string{"reset": r.ID.String()})
			return err
		}
		now := s.clock.Now()
		if _, err := s.resets.TransitionPINReset(ctx, r.ID, []PINResetStatus{PINResetApproved},
			PINResetChange{Status: PINResetCompleted, CompletedAt: &now}); err != nil {
			return s.pinResetTransitionError(ctx, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.completed", nil, map[string]string{"reset": r.ID.String()})
		// The PIN is new: no other reset may change it again.
		return s.pinResetSupersede(ctx, r.UserID, r.ID)
	})
	if err != nil {
		return uuid.Nil, err
	}
	return r.UserID, nil
}
