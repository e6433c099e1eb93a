// Package selfie provides pinreset.SelfieVerifier implementations.
package selfie

import (
	"context"

	"github.com/gatehouse/gatehouse/modules/pinreset"
)

var _ pinreset.SelfieVerifier = (*Queue)(nil)

// Queue is the default selfie verifier: it compares nothing itself and
// leaves every selfie to staff, so a PIN reset waits in PENDING_REVIEW
// until a COMPLIANCE user approves or rejects it. The selfie and the
// document are already stored and listed for review by the PIN reset;
// Queue only gives the verdict that says so.
type Queue struct{}

// NewQueue returns the staff-review verifier.
func NewQueue() *Queue { return &Queue{} }

// Verify answers pinreset.SelfiePendingReview for every check.
func (*Queue) Verify(ctx context.Context, c pinreset.SelfieCheck) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return pinreset.SelfiePendingReview, nil
}
