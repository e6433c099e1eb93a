package kyctest

import (
	"bytes"
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// --- PIN resets

func cloneReset(r kyc.PINReset) kyc.PINReset {
	r.TicketHash = bytes.Clone(r.TicketHash)
	r.DocumentID, r.SelfieFileID, r.DecidedBy = cloneUUID(r.DocumentID), cloneUUID(r.SelfieFileID), cloneUUID(r.DecidedBy)
	r.DecidedAt, r.CompletedAt = cloneTime(r.DecidedAt), cloneTime(r.CompletedAt)
	return r
}

var pinResetStatuses = []kyc.PINResetStatus{kyc.PINResetDocumentRequired, kyc.PINResetSelfieRequired, kyc.PINResetPendingReview,
	kyc.PINResetApproved, kyc.PINResetRejected, kyc.PINResetCompleted}

// CreatePINReset inserts r; a taken ID or ticket hash is a CONFLICT.
func (s *Store) CreatePINReset(ctx context.Context, r kyc.PINReset) error {
	if !slices.Contains(pinResetStatuses, r.Status) {
		return checkViolation("invalid PIN reset status %q", r.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.resets[r.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.resets {
		if bytes.Equal(o.TicketHash, r.TicketHash) {
			return conflict("", "")
		}
		if o.UserID == r.UserID && slices.Contains(openResetStatuses, o.Status) &&
			slices.Contains(openResetStatuses, r.Status) {
			return conflict("", "") // pin_resets_open_idx
		}
	}
	s.resets[r.ID] = cloneReset(r)
	return nil
}

// openResetStatuses are the statuses of a reset still under way.
var openResetStatuses = []kyc.PINResetStatus{kyc.PINResetDocumentRequired, kyc.PINResetSelfieRequired,
	kyc.PINResetPendingReview, kyc.PINResetApproved}

func (s *Store) OpenPINResetsOf(ctx context.Context, userID uuid.UUID) ([]kyc.PINReset, error) {
	s.mu.Lock()
	var out []kyc.PINReset
	for _, r := range s.resets {
		if r.UserID == userID && slices.Contains(openResetStatuses, r.Status) {
			out = append(out, cloneReset(r))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.PINReset) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

func (s *Store) GetPINReset(ctx context.Context, id uuid.UUID) (kyc.PINReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return kyc.PINReset{}, ports.ErrNotFound
	}
	return cloneReset(r), nil
}

func (s *Store) FindPINReset(ctx context.Context, ticketHash []byte) (kyc.PINReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.resets {
		if bytes.Equal(r.TicketHash, ticketHash) {
			return cloneReset(r), nil
		}
	}
	return kyc.PINReset{}, ports.ErrNotFound
}

// TransitionPINReset applies c when the reset's status is one of from;
// otherwise a CONFLICT (ErrNotFound when there is no such reset).
func (s *Store) TransitionPINReset(ctx context.Context, id uuid.UUID, from []kyc.PINResetStatus, c kyc.PINResetChange) (kyc.PINReset, error) {
	if !slices.Contains(pinResetStatuses, c.Status) {
		return kyc.PINReset{}, checkViolation("invalid PIN reset status %q", c.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return kyc.PINReset{}, ports.ErrNotFound
	}
	if !slices.Contains(from, r.Status) {
		return kyc.PINReset{}, stateConflict("the PIN reset is not in a state that allows this")
	}
	r.Status = c.Status
	if c.DocumentID != nil {
		r.DocumentID = cloneUUID(c.DocumentID)
	}
	if c.DocumentUploaded {
		r.DocumentUploaded = true
	}
	if c.SelfieFileID != nil {
		r.SelfieFileID = cloneUUID(c.SelfieFileID)
	}
	if c.Reason != "" {
		r.Reason = c.Reason
	}
	if c.DecidedAt != nil {
		r.DecidedAt = cloneTime(c.DecidedAt)
	}
	if c.DecidedBy != nil {
		r.DecidedBy = cloneUUID(c.DecidedBy)
	}
	if c.CompletedAt != nil {
		r.CompletedAt = cloneTime(c.CompletedAt)
	}
	s.resets[id] = r
	return cloneReset(r), nil
}

// ListPINResets returns the resets in status, oldest first (CreatedAt,
// ID), after the cursor, at most limit (100 when not positive, never more
// than 1000).
func (s *Store) ListPINResets(ctx context.Context, status kyc.PINResetStatus, after *kyc.SubmissionCursor, limit int) ([]kyc.PINReset, error) {
	s.mu.Lock()
	var out []kyc.PINReset
	for _, r := range s.resets {
		if r.Status == status && afterCursor(r.CreatedAt, r.ID, after) {
			out = append(out, cloneReset(r))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.PINReset) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	if n := listLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}
