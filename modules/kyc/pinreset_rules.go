package kyc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// pinResetByTicket finds the live reset of a ticket. An unknown and an
// expired ticket get the same answer; the ticket itself is never logged.
func (s *Service) pinResetByTicket(ctx context.Context, ticket string) (PINReset, error) {
	invalid := ports.Errorf(ports.CodeNotFound, "this reset ticket is not valid")
	if ticket == "" {
		return PINReset{}, ports.InvalidField("ticket", "is required")
	}
	if len(ticket) > pinResetTicketMaxLen || !strings.HasPrefix(ticket, pinResetTicketPrefix) {
		return PINReset{}, invalid
	}
	sum := sha256.Sum256([]byte(ticket))
	r, err := s.resets.FindPINReset(ctx, sum[:])
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return PINReset{}, invalid
	} else if err != nil {
		return PINReset{}, err
	}
	if !s.clock.Now().Before(r.ExpiresAt) {
		return PINReset{}, invalid
	}
	return r, nil
}

// pinResetTransitionError turns a refused transition into a CONFLICT that
// says what the status now is.
func (s *Service) pinResetTransitionError(ctx context.Context, id uuid.UUID, err error) error {
	if ports.ErrorCodeOf(err) != ports.CodeConflict {
		return err
	}
	r, gerr := s.resets.GetPINReset(ctx, id)
	if gerr != nil {
		return err
	}
	return pinResetStateError(r.Status)
}

// pinResetStateError is the CONFLICT for a reset in the wrong status.
func pinResetStateError(status PINResetStatus) error {
	return ports.Errorf(ports.CodeConflict, "this PIN reset is %s: %s", status, pinResetStatusText[status])
}

// pinResetLimit limits an anonymous step per client address.
func (s *Service) pinResetLimit(ctx context.Context, action string, perHour int) error {
	ok, retry, err := s.limiter.Allow(ctx, action+":ip:"+ports.ClientKey(ports.RequestMetaFrom(ctx).IP), perHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		err := ports.RateLimited(retry)
		s.record(ctx, nil, action, err, nil)
		return err
	}
	return nil
}

// pinResetUserLimit limits the uploads of a reset's user.
func (s *Service) pinResetUserLimit(ctx context.Context, userID uuid.UUID) error {
	ok, retry, err := s.limiter.Allow(ctx, "pin_reset_upload:user:"+userID.String(), s.cfg.UploadsPerHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		err := ports.RateLimited(retry)
		s.record(ctx, &userID, "pin_reset.upload", err, nil)
		return err
	}
	return nil
}

// pinResetNewTicket returns a new ticket and its SHA-256.
func pinResetNewTicket() (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	t := pinResetTicketPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(t))
	return t, sum[:], nil
}

// pinResetApprovedDocument returns the identity document of the user's
// latest KYC submission when that submission is APPROVED: the only
// document that proves who the user is. A live document that staff never
// approved, an older approval followed by a newer submission, or an
// approved document past its expiry date does not count.
func (s *Service) pinResetApprovedDocument(ctx context.Context, userID uuid.UUID) (Document, bool, error) {
	sub, err := s.submissions.LatestSubmission(ctx, userID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Document{}, false, nil
	} else if err != nil {
		return Document{}, false, err
	}
	if sub.Status != StatusApproved {
		return Document{}, false, nil
	}
	d, err := s.documents.GetDocument(ctx, sub.DocumentID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Document{}, false, nil
	} else if err != nil {
		return Document{}, false, err
	}
	if d.UserID != userID || !isIdentityDoc(d.Type) || documentExpired(d, s.clock.Now()) {
		return Document{}, false, nil
	}
	return d, true, nil
}

// pinResetSupersede rejects the user's open resets other than keep, inside
// the caller's transaction (a user has at most one open reset: the store's
// unique index refuses a second, so this runs before a new one is made).
func (s *Service) pinResetSupersede(ctx context.Context, userID, keep uuid.UUID) error {
	now := s.clock.Now()
	open, err := s.resets.OpenPINResetsOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, r := range open {
		if r.ID == keep {
			continue
		}
		_, err := s.resets.TransitionPINReset(ctx, r.ID, pinResetOpen, PINResetChange{
			Status: PINResetRejected, Reason: pinResetSupersededReason, DecidedAt: &now})
		if ports.ErrorCodeOf(err) == ports.CodeConflict {
			continue // closed meanwhile
		} else if err != nil {
			return err
		}
		s.record(ctx, &userID, "pin_reset.superseded", nil,
			map[string]string{"reset": r.ID.String(), "by": keep.String()})
	}
	return nil
}

func pinResetProgressOf(r PINReset) PINResetProgress {
	return PINResetProgress{Status: r.Status, Reason: r.Reason, ExpiresAt: r.ExpiresAt}
}
