package kyc

import (
	"context"

	"github.com/google/uuid"
)

// What the external tests (package kyc_test, which may import kyctest)
// reach inside the package.

// LinkSig is the signature of a file link as f's links make it.
func LinkSig(f *Files, id uuid.UUID, expires int64, staff string) string {
	return f.views.links.sig(id, expires, staff)
}

// ApplySystemLabel sets the PRIVATE label key as Gatehouse itself does
// (a decision's labels), and recomputes the user's level.
func ApplySystemLabel(ctx context.Context, s *Labelling, userID uuid.UUID, key string) error {
	_, err := s.labeler.apply(ctx, systemLabel(userID, key, ""))
	return err
}
