package ports

import (
	"context"

	"github.com/google/uuid"
)

// Caller is the signed-in user of a request as other modules see it.
type Caller struct {
	UserID    uuid.UUID
	Role      string
	SessionID uuid.UUID
	DeviceID  uuid.UUID
}

// CallerSource resolves the caller of a request (the identity module).
type CallerSource interface {
	// Caller returns the signed-in caller, nil when anonymous. Errors:
	// UNAUTHENTICATED (a bad or ended token), LOCKED, ACCESS_RESTRICTED.
	Caller(ctx context.Context) (*Caller, error)
}

// Roles a user may hold (ANONYMOUS is the role of no user).
const (
	RoleAnonymous  = "ANONYMOUS"
	RoleMember     = "MEMBER"
	RoleSupport    = "SUPPORT"
	RoleCompliance = "COMPLIANCE"
	RoleAccountant = "ACCOUNTANT"
	RoleAdmin      = "ADMIN"
	RoleSuperadmin = "SUPERADMIN"
	RolePartner    = "PARTNER"
)

// RoleIn reports whether role is one of roles.
func RoleIn(role string, roles ...string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}
