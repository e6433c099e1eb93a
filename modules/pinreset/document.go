package pinreset

import (
	"context"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// UploadDocument takes the identity document of a reset that has none on
// file, and the reset waits for the selfie. The document is kept for this
// reset only: stored already replaced (never the user's live document,
// never part of a KYC submission), and the reset is marked
// DocumentUploaded, so only staff can approve it. Both files are checked
// before either is stored. Errors: VALIDATION_FAILED, NOT_FOUND (ticket),
// CONFLICT (the reset does not wait for a document), RATE_LIMITED.
func (s *Steps) UploadDocument(ctx context.Context, in DocumentInput) (Progress, error) {
	number, err := s.documents.CheckIdentityDocument(in.Type, in.Number)
	if err != nil {
		return Progress{}, err
	}
	r, err := s.byTicket(ctx, in.Ticket)
	if err != nil {
		return Progress{}, err
	}
	if r.Status != DocumentRequired {
		return Progress{}, stateError(r.Status)
	}
	if err := s.userLimit(ctx, r.UserID); err != nil {
		return Progress{}, err
	}
	var out Reset
	// The reset's state was checked above, before the files were written;
	// the transition checks it again under the user's lock.
	err = s.documents.StoreResetDocument(ctx, kyc.ResetDocument{UserID: r.UserID, Type: in.Type, Number: number,
		Front: in.Front, Back: in.Back}, func(ctx context.Context, doc kyc.Document) error {
		var err error
		out, err = s.resets.Transition(ctx, r.ID, []Status{DocumentRequired},
			Change{Status: SelfieRequired, DocumentID: &doc.ID, DocumentUploaded: true})
		if err != nil {
			return transitionError(ctx, s.resets, r.ID, err)
		}
		s.record(ctx, &r.UserID, "pin_reset.document_uploaded", nil,
			map[string]string{"reset": r.ID.String(), "document": doc.ID.String(), "type": doc.Type})
		return nil
	})
	if err != nil {
		return Progress{}, err
	}
	return progressOf(out), nil
}
