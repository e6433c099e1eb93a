package admintest

import (
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
)

var _ admin.SessionCache = (*SessionCache)(nil)

// SessionCache implements admin.SessionCache by remembering whom it was
// told to forget.
type SessionCache struct {
	mu        sync.Mutex
	forgotten []uuid.UUID
}

// Forget records userID.
func (c *SessionCache) Forget(userID uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgotten = append(c.forgotten, userID)
}

// Forgotten returns whom Forget was called for, in order.
func (c *SessionCache) Forgotten() []uuid.UUID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]uuid.UUID(nil), c.forgotten...)
}
