package identitytest

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ identity.Tickets = (*TicketStore)(nil)

// TicketStore implements identity.Tickets, keyed by the secret's hash.
type TicketStore struct {
	mu     sync.Mutex
	byHash map[string]identity.Ticket
}

// NewTicketStore returns an empty store.
func NewTicketStore() *TicketStore { return &TicketStore{byHash: map[string]identity.Ticket{}} }

func (s *TicketStore) Create(ctx context.Context, t identity.Ticket, secretHash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byHash[string(secretHash)]; ok {
		return conflict("", "")
	}
	for _, o := range s.byHash {
		if o.ID == t.ID {
			return conflict("", "")
		}
	}
	t.Metadata, t.UsedAt = cloneMap(t.Metadata), nil
	s.byHash[string(secretHash)] = t
	return nil
}

// Use marks an unused ticket of purpose used; it is ErrNotFound when the
// hash is unknown, the ticket used, or of another purpose. Like the
// adapter's UPDATE ... RETURNING, the ticket comes back with UsedAt set;
// expiry is the caller's to check.
func (s *TicketStore) Use(ctx context.Context, secretHash []byte, purpose string, at time.Time) (identity.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byHash[string(secretHash)]
	if !ok || t.Purpose != purpose || t.UsedAt != nil {
		return identity.Ticket{}, ports.ErrNotFound
	}
	used := at
	t.UsedAt = &used
	s.byHash[string(secretHash)] = t
	t.Metadata, t.UsedAt = cloneMap(t.Metadata), portstest.Clone(t.UsedAt)
	return t, nil
}

// Find returns an unused ticket of purpose without using it.
func (s *TicketStore) Find(ctx context.Context, secretHash []byte, purpose string) (identity.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byHash[string(secretHash)]
	if !ok || t.Purpose != purpose || t.UsedAt != nil {
		return identity.Ticket{}, ports.ErrNotFound
	}
	t.Metadata = cloneMap(t.Metadata)
	return t, nil
}

// Get returns the ticket with id (for assertions).
func (s *TicketStore) Get(id uuid.UUID) (identity.Ticket, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.byHash {
		if t.ID == id {
			t.Metadata, t.UsedAt = cloneMap(t.Metadata), portstest.Clone(t.UsedAt)
			return t, true
		}
	}
	return identity.Ticket{}, false
}

// cloneMap copies m and never returns nil, like the adapter that stores
// metadata as a non-null jsonb column.
func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	maps.Copy(out, m)
	return out
}
