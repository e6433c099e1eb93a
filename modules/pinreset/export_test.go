package pinreset

import (
	"context"

	"github.com/google/uuid"
)

// What the external tests (package pinreset_test, which may import
// pinresettest) reach inside the package.

// Redeem is (*Service).redeem: spending an approved ticket, as identity
// does through Complete's closure.
func Redeem(s *Service, ctx context.Context, ticket string) (uuid.UUID, error) {
	return s.redeem(ctx, ticket)
}
