package ports

import (
	"context"

	"github.com/google/uuid"
)

// Caller is who makes a request as other modules see it: a signed-in user,
// or a program. A program with an API key calls as the key's owner
// (UserID and Role are the owner's, SessionID and DeviceID zero) within the
// key's scopes; a partner app is no user at all (zero UserID, Role
// RolePartner) and reaches only what its scopes cover.
type Caller struct {
	UserID    uuid.UUID
	Role      string
	SessionID uuid.UUID
	DeviceID  uuid.UUID
	// Program is the program calling, nil when it is the user's own
	// session.
	Program *Program
}

// ProgramKind says which kind of program credentials a request carried.
type ProgramKind string

// Kinds of programs.
const (
	// ProgramAPIKey is a user's bot, signing each request with its key.
	ProgramAPIKey ProgramKind = "API_KEY"
	// ProgramPartner is a partner's back office with an OAuth2 client
	// credentials token.
	ProgramPartner ProgramKind = "PARTNER"
)

// Program is the program behind a request: its kind, the id of its key or
// client, and the scopes it was granted.
type Program struct {
	Kind   ProgramKind
	ID     string
	Scopes []string
}

// HasScope reports whether the program was granted scope.
func (p *Program) HasScope(scope string) bool {
	if p == nil {
		return false
	}
	for _, s := range p.Scopes {
		if s == scope {
			return true
		}
	}
	return false
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
