package admin

import (
	"context"
	"slices"

	"github.com/gatehouse/gatehouse/ports"
)

// Mine returns the operations the caller's role may call now (root fields
// and role-restricted Type.field names), sorted: what a client may offer.
// It asks the same rows every call is checked against, so a client that
// hides what is missing never shows what the server would refuse.
// The rule table itself is a SUPERADMIN's whatever the rows say (see
// superadmin), so it is listed to no other role.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Permissions) Mine(ctx context.Context) ([]string, error) {
	c, err := s.caller(ctx, "myPermissions")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(s.operations))
	for _, op := range s.operations {
		if c.Role != ports.RoleSuperadmin && slices.Contains(permissionKeepers, op) {
			continue
		}
		if s.rules.Allowed(c.Role, op) {
			out = append(out, op)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
