package admin

import (
	"context"
	"slices"
)

// Mine returns the operations the caller's role may call now (root fields
// and role-restricted Type.field names), sorted: what a client may offer.
// It asks the same rows every call is checked against, so a client that
// hides what is missing never shows what the server would refuse.
// The permission operations are listed as the rows say too: an ADMIN
// that may call updatePermission is still refused the rows above its
// role, one call at a time (see mayChange).
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Permissions) Mine(ctx context.Context) ([]string, error) {
	c, err := s.caller(ctx, "myPermissions")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(s.operations))
	for _, op := range s.operations {
		if s.rules.Allowed(c.Role, op) {
			out = append(out, op)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
