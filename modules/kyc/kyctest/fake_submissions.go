package kyctest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// --- submissions

func cloneSubmission(x kyc.Submission) kyc.Submission {
	x.DecidedAt, x.DecidedBy = portstest.Clone(x.DecidedAt), portstest.Clone(x.DecidedBy)
	return x
}

// CreateSubmission stores x (status PENDING when empty); a second PENDING
// submission of a user is a CONFLICT.
func (s *Store) CreateSubmission(ctx context.Context, x kyc.Submission) error {
	if x.Status == "" {
		x.Status = kyc.StatusPending
	}
	switch x.Status {
	case kyc.StatusPending, kyc.StatusApproved, kyc.StatusRejected:
	default:
		return fmt.Errorf("portsfake: invalid submission status %q", x.Status)
	}
	if (x.Status == kyc.StatusPending) != (x.DecidedAt == nil) {
		return errors.New("portsfake: a submission is decided exactly when it is not PENDING")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[x.ID]; ok {
		return conflict("", "")
	}
	if x.Status == kyc.StatusPending {
		for _, o := range s.subs {
			if o.UserID == x.UserID && o.Status == kyc.StatusPending {
				return stateConflict("a submission is already waiting for review")
			}
		}
	}
	s.subs[x.ID] = cloneSubmission(x)
	return nil
}

func (s *Store) GetSubmission(ctx context.Context, id uuid.UUID) (kyc.Submission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.subs[id]
	if !ok {
		return kyc.Submission{}, ports.ErrNotFound
	}
	return cloneSubmission(x), nil
}

func compareSubmissions(a, b kyc.Submission) int {
	if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
		return c
	}
	return compareID(a.ID, b.ID)
}

// LatestSubmission returns the user's newest submission (SubmittedAt, ID).
func (s *Store) LatestSubmission(ctx context.Context, userID uuid.UUID) (kyc.Submission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		best  kyc.Submission
		found bool
	)
	for _, x := range s.subs {
		if x.UserID == userID && (!found || compareSubmissions(x, best) > 0) {
			best, found = x, true
		}
	}
	if !found {
		return kyc.Submission{}, ports.ErrNotFound
	}
	return cloneSubmission(best), nil
}

// ListSubmissions returns the submissions q selects, oldest first, after
// q.After, at most q.Limit (100 when not positive, never more than 1000).
func (s *Store) ListSubmissions(ctx context.Context, q kyc.SubmissionQuery) ([]kyc.Submission, error) {
	s.mu.Lock()
	var out []kyc.Submission
	for _, x := range s.subs {
		switch {
		case q.Status != "" && x.Status != q.Status,
			q.Country != "" && x.Country != q.Country,
			q.From != nil && x.SubmittedAt.Before(*q.From),
			q.To != nil && !x.SubmittedAt.Before(*q.To),
			!afterCursor(x.SubmittedAt, x.ID, q.After):
			continue
		}
		out = append(out, cloneSubmission(x))
	}
	s.mu.Unlock()
	slices.SortFunc(out, compareSubmissions)
	if n := listLimit(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// DecideSubmission moves a PENDING submission to status; any other status
// is a CONFLICT.
func (s *Store) DecideSubmission(ctx context.Context, id uuid.UUID, status kyc.Status, reason string, by uuid.UUID, at time.Time) (kyc.Submission, error) {
	if status != kyc.StatusApproved && status != kyc.StatusRejected {
		return kyc.Submission{}, fmt.Errorf("portsfake: a decision must be APPROVED or REJECTED, not %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.subs[id]
	if !ok {
		return kyc.Submission{}, ports.ErrNotFound
	}
	if x.Status != kyc.StatusPending {
		return kyc.Submission{}, stateConflict("the submission is already decided")
	}
	decider := by
	x.Status, x.Reason, x.DecidedAt, x.DecidedBy = status, reason, &at, &decider
	s.subs[id] = x
	return cloneSubmission(x), nil
}
