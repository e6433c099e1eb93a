package pinreset

import "context"

// Status says where the reset of ticket stands. Errors: NOT_FOUND (an
// unknown or expired ticket), VALIDATION_FAILED (no ticket).
func (s *Steps) Status(ctx context.Context, ticket string) (Progress, error) {
	r, err := s.byTicket(ctx, ticket)
	if err != nil {
		return Progress{}, err
	}
	return progressOf(r), nil
}
