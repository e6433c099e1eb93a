package kyc

import (
	"context"

	"github.com/google/uuid"
)

// What the external tests (package kyc_test, which may import kyctest)
// reach inside the package.

// LinkSig is (*Service).linkSig: the signature of a file link.
var LinkSig = (*Service).linkSig

// ApplySystemLabel sets the PRIVATE label key as Gatehouse itself does
// (a decision's labels), and recomputes the user's level.
func ApplySystemLabel(ctx context.Context, s *Service, userID uuid.UUID, key string) error {
	_, err := s.labeler().apply(ctx, systemLabel(userID, key, ""))
	return err
}
