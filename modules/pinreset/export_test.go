package pinreset

import (
	"context"

	"github.com/google/uuid"
)

// What the external tests (package pinreset_test, which may import
// pinresettest) reach inside the package.

// Redeem is (*Steps).redeem: spending an approved ticket, as identity
// does through Complete's closure.
func Redeem(s *Steps, ctx context.Context, ticket string) (uuid.UUID, error) {
	return s.redeem(ctx, ticket)
}
