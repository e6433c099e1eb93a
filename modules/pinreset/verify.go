package pinreset

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// Verify checks the code from Start and opens the reset: when the user's
// latest KYC submission is APPROVED, its identity document is on file and
// the next step is the selfie (SELFIE_REQUIRED); otherwise a document
// (DOCUMENT_REQUIRED); an approved document that has expired does not
// count. The user's other open resets are rejected in the same
// transaction, under the user's lock, so of two verifications at once the
// later supersedes the earlier. Errors: those of otp Verify, NOT_FOUND
// (the account's phone is no longer the one the code went to: the same
// answer as an unknown challenge), ACCESS_RESTRICTED (the account changed
// meanwhile), CONFLICT (another reset was opened at the same moment).
func (s *Steps) Verify(ctx context.Context, challengeID uuid.UUID, code string) (Ticket, error) {
	var out Ticket
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
		if err != nil || u.State != userActive || !u.HasPIN {
			return ports.Errorf(ports.CodeAccessRestricted, "this account cannot reset its PIN; contact support")
		}
		doc, onFile, err := s.documents.ApprovedIdentityDocument(ctx, u.ID)
		if err != nil {
			return err
		}
		ticket, hash, err := newTicket()
		if err != nil {
			return err
		}
		now := s.clock.Now()
		r := Reset{ID: uuid.New(), UserID: u.ID, TicketHash: hash, Status: DocumentRequired,
			ExpiresAt: now.Add(s.cfg.TTL), CreatedAt: now}
		if onFile {
			r.Status, r.DocumentID = SelfieRequired, &doc.ID
		}
		if err := s.supersede(ctx, u.ID, r.ID); err != nil {
			return err
		}
		if err := s.resets.Create(ctx, r); err != nil {
			if ports.ErrorCodeOf(err) == ports.CodeConflict {
				return ports.Errorf(ports.CodeConflict,
					"another PIN reset of this account was started at the same moment; start again")
			}
			return err
		}
		s.record(ctx, &u.ID, "pin_reset.verified", nil, map[string]string{"reset": r.ID.String(), "status": string(r.Status)})
		out = Ticket{Ticket: ticket, ExpiresAt: r.ExpiresAt, DocumentOnFile: r.DocumentID != nil, Status: r.Status}
		return nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return out, nil
}
