// Package pinresettest holds the in-memory fake of the pinreset module's
// store (Store) and its contract suite (RunStore), which the fake and the
// PostgreSQL adapter both pass.
package pinresettest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ pinreset.Resets = (*Store)(nil)

// Store implements pinreset.Resets in memory. Like the database it keeps
// one reset per ticket hash and one open reset per user; foreign keys
// (users, documents, files) are not checked.
type Store struct {
	mu     sync.Mutex
	resets map[uuid.UUID]pinreset.Reset
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{resets: map[uuid.UUID]pinreset.Reset{}} }

// statuses mirror the table's CHECK on status.
var statuses = []pinreset.Status{pinreset.DocumentRequired, pinreset.SelfieRequired, pinreset.PendingReview,
	pinreset.Approved, pinreset.Rejected, pinreset.Completed}

// openStatuses are the statuses of a reset still under way (the partial
// unique index pin_resets_open_idx).
var openStatuses = []pinreset.Status{pinreset.DocumentRequired, pinreset.SelfieRequired,
	pinreset.PendingReview, pinreset.Approved}

// Create inserts r; a taken ID or ticket hash, or a second open reset of
// the user, is a CONFLICT.
func (s *Store) Create(ctx context.Context, r pinreset.Reset) error {
	if !slices.Contains(statuses, r.Status) {
		return fmt.Errorf("pinresettest: invalid PIN reset status %q", r.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.resets[r.ID]; ok {
		return conflict()
	}
	for _, o := range s.resets {
		if bytes.Equal(o.TicketHash, r.TicketHash) {
			return conflict()
		}
		if o.UserID == r.UserID && slices.Contains(openStatuses, o.Status) && slices.Contains(openStatuses, r.Status) {
			return conflict() // pin_resets_open_idx
		}
	}
	s.resets[r.ID] = clone(r)
	return nil
}

func (s *Store) Get(ctx context.Context, id uuid.UUID) (pinreset.Reset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return pinreset.Reset{}, ports.ErrNotFound
	}
	return clone(r), nil
}

func (s *Store) FindByTicket(ctx context.Context, ticketHash []byte) (pinreset.Reset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.resets {
		if bytes.Equal(r.TicketHash, ticketHash) {
			return clone(r), nil
		}
	}
	return pinreset.Reset{}, ports.ErrNotFound
}

// Transition applies c when the reset's status is one of from; otherwise
// a CONFLICT (ErrNotFound when there is no such reset).
func (s *Store) Transition(ctx context.Context, id uuid.UUID, from []pinreset.Status, c pinreset.Change) (pinreset.Reset, error) {
	if !slices.Contains(statuses, c.Status) {
		return pinreset.Reset{}, fmt.Errorf("pinresettest: invalid PIN reset status %q", c.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return pinreset.Reset{}, ports.ErrNotFound
	}
	if !slices.Contains(from, r.Status) {
		return pinreset.Reset{}, &ports.Error{Code: ports.CodeConflict,
			Message: "the PIN reset is not in a state that allows this", Cause: ports.ErrConflict}
	}
	r.Status = c.Status
	if c.DocumentID != nil {
		r.DocumentID = portstest.Clone(c.DocumentID)
	}
	if c.DocumentUploaded {
		r.DocumentUploaded = true
	}
	if c.SelfieFileID != nil {
		r.SelfieFileID = portstest.Clone(c.SelfieFileID)
	}
	if c.Reason != "" {
		r.Reason = c.Reason
	}
	if c.DecidedAt != nil {
		r.DecidedAt = portstest.Clone(c.DecidedAt)
	}
	if c.DecidedBy != nil {
		r.DecidedBy = portstest.Clone(c.DecidedBy)
	}
	if c.CompletedAt != nil {
		r.CompletedAt = portstest.Clone(c.CompletedAt)
	}
	s.resets[id] = r
	return clone(r), nil
}

func (s *Store) OpenOf(ctx context.Context, userID uuid.UUID) ([]pinreset.Reset, error) {
	return s.sorted(func(r pinreset.Reset) bool {
		return r.UserID == userID && slices.Contains(openStatuses, r.Status)
	}, 0), nil
}

// List returns the resets in status, oldest first (CreatedAt, ID), after
// the cursor, at most limit (100 when not positive, never more than 1000,
// as the adapter bounds it).
func (s *Store) List(ctx context.Context, status pinreset.Status, after *pinreset.Cursor, limit int) ([]pinreset.Reset, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.sorted(func(r pinreset.Reset) bool { return r.Status == status && afterCursor(r, after) },
		min(limit, 1000)), nil
}

// sorted returns the resets keep accepts, oldest first, at most limit
// (0: all).
func (s *Store) sorted(keep func(pinreset.Reset) bool, limit int) []pinreset.Reset {
	s.mu.Lock()
	var out []pinreset.Reset
	for _, r := range s.resets {
		if keep(r) {
			out = append(out, clone(r))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b pinreset.Reset) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// afterCursor reports whether r comes after c in (CreatedAt, ID) order.
func afterCursor(r pinreset.Reset, c *pinreset.Cursor) bool {
	if c == nil {
		return true
	}
	if d := r.CreatedAt.Compare(c.CreatedAt); d != 0 {
		return d > 0
	}
	return bytes.Compare(r.ID[:], c.ID[:]) > 0
}

// conflict is the CONFLICT the database's unique indexes answer.
func conflict() error {
	return &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
}

func clone(r pinreset.Reset) pinreset.Reset {
	r.TicketHash = bytes.Clone(r.TicketHash)
	r.DocumentID, r.SelfieFileID, r.DecidedBy = portstest.Clone(r.DocumentID), portstest.Clone(r.SelfieFileID), portstest.Clone(r.DecidedBy)
	r.DecidedAt, r.CompletedAt = portstest.Clone(r.DecidedAt), portstest.Clone(r.CompletedAt)
	return r
}
