package pinreset

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// SubmitSelfie takes the selfie (JPEG or PNG) of a reset that waits for
// one and hands it to the selfie verifier: the reset then waits for staff
// (PENDING_REVIEW), or the verifier decides at once (APPROVED or
// REJECTED). A MATCH against a document uploaded during the reset approves
// nothing (the holder may have shown their own document): staff decide;
// so does a MATCH for a staff account (any role but MEMBER), whose reset
// only a SUPERADMIN approves. A verifier that fails leaves the selfie to
// staff. Errors: VALIDATION_FAILED, NOT_FOUND (ticket), CONFLICT (the
// reset does not wait for a selfie), RATE_LIMITED.
func (s *Steps) SubmitSelfie(ctx context.Context, ticket string, selfie *kyc.Upload) (Progress, error) {
	r, err := s.byTicket(ctx, ticket)
	if err != nil {
		return Progress{}, err
	}
	if r.Status != SelfieRequired {
		return Progress{}, stateError(r.Status)
	}
	if r.DocumentID == nil {
		return Progress{}, fmt.Errorf("PIN reset %s waits for a selfie without a document", r.ID)
	}
	if err := s.userLimit(ctx, r.UserID); err != nil {
		return Progress{}, err
	}
	var (
		file kyc.File
		out  Reset
	)
	// As for the document: the state checked above is checked again by
	// the transition, under the user's lock.
	err = s.documents.StoreResetSelfie(ctx, r.UserID, selfie, func(ctx context.Context, f kyc.File) error {
		file = f
		var err error
		out, err = s.resets.Transition(ctx, r.ID, []Status{SelfieRequired},
			Change{Status: PendingReview, SelfieFileID: &file.ID})
		if err != nil {
			return transitionError(ctx, s.resets, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.selfie_submitted", nil,
			map[string]string{"reset": r.ID.String(), "file": file.ID.String()})
		return nil
	})
	if err != nil {
		return Progress{}, err
	}
	// The verifier runs after commit, so an adapter that reads the file
	// finds it, and a slow one holds no transaction open.
	verdict, err := s.selfies.Verify(ctx, SelfieCheck{UserID: r.UserID, PINResetID: r.ID,
		SelfieFileID: file.ID, DocumentID: *r.DocumentID})
	change := Change{}
	switch {
	case err != nil:
		s.log.ErrorContext(ctx, "selfie verifier failed; the PIN reset waits for staff", "reset", r.ID, "err", err)
		return progressOf(out), nil
	case verdict == SelfieMatch && (r.DocumentUploaded || out.DocumentUploaded):
		s.record(ctx, &r.UserID, "pin_reset.selfie_matched", nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier", "document": "uploaded"})
		return progressOf(out), nil
	case verdict == SelfieMatch && !s.ofMember(ctx, r.UserID):
		// A staff account's reset is a SUPERADMIN's to approve, never a
		// machine's.
		s.record(ctx, &r.UserID, "pin_reset.selfie_matched", nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier", "account": "staff"})
		return progressOf(out), nil
	case verdict == SelfieMatch:
		change.Status = Approved
	case verdict == SelfieNoMatch:
		change.Status, change.Reason = Rejected, noMatchReason
	case verdict == SelfiePendingReview:
		return progressOf(out), nil
	default:
		s.log.ErrorContext(ctx, "selfie verifier gave an unknown verdict; the PIN reset waits for staff",
			"reset", r.ID, "verdict", verdict)
		return progressOf(out), nil
	}
	now := s.clock.Now()
	change.DecidedAt = &now
	var decided Reset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, r.UserID); err != nil {
			return err
		}
		var err error
		decided, err = s.resets.Transition(ctx, r.ID, []Status{PendingReview}, change)
		return err
	})
	if ports.ErrorCodeOf(err) == ports.CodeConflict {
		// Staff decided first: theirs stands.
		decided, err = s.resets.Get(ctx, r.ID)
	}
	if err != nil {
		return Progress{}, err
	}
	if decided.Status == change.Status {
		s.record(ctx, &r.UserID, "pin_reset."+strings.ToLower(string(change.Status)), nil,
			map[string]string{"reset": r.ID.String(), "by": "selfie_verifier"})
	}
	return progressOf(decided), nil
}
