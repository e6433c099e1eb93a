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
func (s *Service) pinResetByTicket(ctx context.Context, ticket string) (ports.PINReset, error) {
	invalid := ports.Errorf(ports.CodeNotFound, "this reset ticket is not valid")
	if ticket == "" {
		return ports.PINReset{}, ports.InvalidField("ticket", "is required")
	}
	if len(ticket) > pinResetTicketMaxLen || !strings.HasPrefix(ticket, pinResetTicketPrefix) {
		return ports.PINReset{}, invalid
	}
	sum := sha256.Sum256([]byte(ticket))
	r, err := s.Store.FindPINReset(ctx, sum[:])
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return ports.PINReset{}, invalid
	} else if err != nil {
		return ports.PINReset{}, err
	}
	if !s.Clock.Now().Before(r.ExpiresAt) {
		return ports.PINReset{}, invalid
	}
	return r, nil
}

// pinResetTransitionError turns a refused transition into a CONFLICT that
// says what the status now is.
func (s *Service) pinResetTransitionError(ctx context.Context, id uuid.UUID, err error) error {
	if ports.ErrorCodeOf(err) != ports.CodeConflict {
		return err
	}
	r, gerr := s.Store.GetPINReset(ctx, id)
	if gerr != nil {
		return err
	}
	return pinResetStateError(r.Status)
}

// pinResetStateError is the CONFLICT for a reset in the wrong status.
func pinResetStateError(status string) error {
	return ports.Errorf(ports.CodeConflict, "this PIN reset is %s: %s", status, pinResetStatusText[status])
}

// pinResetLimit limits an anonymous step per client address.
func (s *Service) pinResetLimit(ctx context.Context, action string, perHour int) error {
	ok, retry, err := s.Limiter.Allow(ctx, action+":ip:"+ports.ClientKey(ports.RequestMetaFrom(ctx).IP), perHour, time.Hour)
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
	ok, retry, err := s.Limiter.Allow(ctx, "pin_reset_upload:user:"+userID.String(), s.cfg.UploadsPerHour, time.Hour)
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
func (s *Service) pinResetApprovedDocument(ctx context.Context, userID uuid.UUID) (ports.Document, bool, error) {
	sub, err := s.Store.LatestSubmission(ctx, userID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return ports.Document{}, false, nil
	} else if err != nil {
		return ports.Document{}, false, err
	}
	if sub.Status != ports.KYCApproved {
		return ports.Document{}, false, nil
	}
	d, err := s.Store.GetDocument(ctx, sub.DocumentID)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return ports.Document{}, false, nil
	} else if err != nil {
		return ports.Document{}, false, err
	}
	if d.UserID != userID || !isIdentityDoc(d.Type) || documentExpired(d, s.Clock.Now()) {
		return ports.Document{}, false, nil
	}
	return d, true, nil
}

// pinResetSupersede rejects the user's open resets other than keep, inside
// the caller's transaction (a user has at most one open reset: the store's
// unique index refuses a second, so this runs before a new one is made).
func (s *Service) pinResetSupersede(ctx context.Context, userID, keep uuid.UUID) error {
	now := s.Clock.Now()
	open, err := s.Store.OpenPINResetsOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, r := range open {
		if r.ID == keep {
			continue
		}
		_, err := s.Store.TransitionPINReset(ctx, r.ID, pinResetOpen, ports.PINResetChange{
			Status: ports.PINResetRejected, Reason: pinResetSupersededReason, DecidedAt: &now})
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

func pinResetProgressOf(r ports.PINReset) PINResetProgress {
	return PINResetProgress{Status: r.Status, Reason: r.Reason, ExpiresAt: r.ExpiresAt}
}
